namespace TaskQueue.Isolation;

/// <summary>How a worker starts a child process for isolated jobs: an executable and its arguments. The child gets
/// <see cref="TaskQueueChild.Variable"/> in its environment and must hand over to <see cref="TaskQueueChild.RunAsync"/>.</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>This process's own command line: the same executable (through <c>dotnet</c> when it runs as
    /// <c>dotnet app.dll</c>) with the same arguments, so the child builds the same tasks and services.</summary>
    /// <exception cref="InvalidOperationException">The process's executable is not known.</exception>
    public static ChildCommand OfThisProcess()
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException(
            "The worker cannot tell which executable it runs in, so it cannot start child processes: set WorkerOptions.ChildCommand.");
        var args = Environment.GetCommandLineArgs();
        // Under the dotnet host, the first argument is the app's .dll; under an app host it names the app itself.
        return Path.GetFileNameWithoutExtension(executable) == "dotnet"
            ? new ChildCommand(executable, args)
            : new ChildCommand(executable, args[1..]);
    }
}
