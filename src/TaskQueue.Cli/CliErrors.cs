namespace TaskQueue.Cli;

/// <summary>The exit codes of taskq.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran but could not do what was asked (no such job, broker unreachable).</summary>
    public const int Failed = 1;

    /// <summary>taskq was called wrongly (unknown option, bad value, missing argument).</summary>
    public const int Usage = 2;
}

/// <summary>A mistake in how taskq was called that parsing could not see (a missing file, a bad URL in the
/// environment); taskq prints the message as one line and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The command could not do what was asked (no such job, job not running); taskq prints the message
/// as one line and exits with <see cref="ExitCodes.Failed"/>.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
