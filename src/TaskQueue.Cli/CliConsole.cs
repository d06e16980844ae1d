using Spectre.Console;

namespace TaskQueue.Cli;

/// <summary>Where a command writes and which environment it reads: the real console, or a test's capture.</summary>
/// <remarks>Commands never touch <see cref="Console"/> or <see cref="Environment"/> directly, so tests run them
/// in-process, in parallel, each with its own output and variables.</remarks>
internal sealed class CliConsole(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    /// <summary>Width for tables when the output is not a terminal (a pipe, a file, a test).</summary>
    private const int RedirectedWidth = 160;

    public static CliConsole System { get; } = new(Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when <see cref="Out"/> is an interactive terminal.</summary>
    public bool IsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>The value of environment variable <paramref name="name"/>, or null when it is unset or empty.</summary>
    public string? GetVariable(string name) => environment(name) is { Length: > 0 } value ? value : null;

    /// <summary>A Spectre.Console renderer over <see cref="Out"/>: colors on a terminal, plain text elsewhere.</summary>
    public IAnsiConsole CreateRenderer()
    {
        var terminal = IsTerminal;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
