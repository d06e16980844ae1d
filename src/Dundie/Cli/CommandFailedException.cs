namespace Dundie.Cli;

/// <summary>A command could not do what was asked because of the user's input; its message is shown as is.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
