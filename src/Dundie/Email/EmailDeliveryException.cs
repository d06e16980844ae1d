namespace Dundie.Email;

/// <summary>A message could not be delivered to the SMTP server; the message says which server and why.</summary>
public sealed class EmailDeliveryException(string message, Exception? innerException = null)
    : Exception(message, innerException);
