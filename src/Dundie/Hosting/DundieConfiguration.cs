using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Dundie.Hosting;

/// <summary>Where settings come from: <c>appsettings.json</c>, then <c>DUNDIE_*</c> environment variables, then the command line.</summary>
public static class DundieConfiguration
{
    /// <summary>The prefix of Dundie's environment variables; <c>__</c> separates sections (<c>DUNDIE_DB__URI</c>).</summary>
    public const string EnvironmentPrefix = "DUNDIE_";

    /// <summary>Adds the <c>DUNDIE_*</c> environment variables, ranked below command-line settings.</summary>
    /// <remarks>
    /// Command-line settings (which is also how <c>WebApplicationFactory</c> passes test settings) must win over a
    /// developer's exported variables, so the source goes in front of the command-line source, not at the end.
    /// </remarks>
    public static void AddDundieSources(this IConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        var commandLine = sources.Select((source, index) => (source, index))
            .FirstOrDefault(s => s.source is CommandLineConfigurationSource);
        var dundieVariables = new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };
        if (commandLine.source is null)
        {
            sources.Add(dundieVariables);
        }
        else
        {
            sources.Insert(commandLine.index, dundieVariables);
        }
    }
}
