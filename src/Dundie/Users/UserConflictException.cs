namespace Dundie.Users;

/// <summary>A user could not be created because its username or e-mail is taken.</summary>
public sealed class UserConflictException(string message) : Exception(message);
