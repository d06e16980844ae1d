using Dundie.Cli;

return await DundieCommandLine.RunAsync(args);

/// <summary>The entry point; public so tests can host the API with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
