using System.CommandLine;
using System.CommandLine.Parsing;

namespace TaskQueue.Cli.Queues;

/// <summary>Queue names on the command line, checked as the core checks them (no blanks, no commas: RQ's worker
/// hash keeps a worker's queues as one comma-separated field).</summary>
internal static class QueueNames
{
    public const string Default = "default";

    /// <summary>A <c>--queue</c> option that defaults to the default queue.</summary>
    public static Option<string> Option(string description)
    {
        var option = new Option<string>("--queue", "-q") { Description = description, HelpName = "QUEUE", DefaultValueFactory = _ => Default };
        option.Validators.Add(r => Check(r, r.GetValueOrDefault<string>()));
        return option;
    }

    /// <summary>A list of queue names as arguments.</summary>
    public static Argument<string[]> Arguments(string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>("QUEUES") { Description = description, Arity = arity };
        argument.Validators.Add(r =>
        {
            foreach (var name in r.GetValueOrDefault<string[]>() ?? []) Check(r, name);
        });
        return argument;
    }

    private static void Check(SymbolResult result, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains(',')) result.AddError($"'{name}' is not a valid queue name (no blanks, no commas).");
    }
}
