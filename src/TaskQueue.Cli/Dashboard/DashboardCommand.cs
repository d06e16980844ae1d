using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Cli.Connection;
using TaskQueue.Dashboard;

namespace TaskQueue.Cli.Dashboard;

/// <summary><c>taskq dashboard</c>: serves the web dashboard on 127.0.0.1 until Ctrl+C, with basic auth when a
/// password is given (<c>--password-file</c> or <c>TASKQ_DASHBOARD_PASSWORD</c>).</summary>
internal static class DashboardCommand
{
    public const string PasswordVariable = "TASKQ_DASHBOARD_PASSWORD";

    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1; 0 picks a free one [default: 9181]", DefaultValueFactory = _ => 9181 };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535) r.AddError("--port must be between 0 and 65535.");
        });
        var passwordFile = new Option<string?>("--password-file")
        {
            Description = $"Require HTTP basic auth with the password in this file (any user name) [default: ${PasswordVariable}, else no auth]",
            HelpName = "FILE",
        };
        var readOnly = new Option<bool>("--read-only") { Description = "Show everything, change nothing (no action buttons)" };
        var command = new Command("dashboard", "Serve the web dashboard on 127.0.0.1 until Ctrl+C") { port, passwordFile, readOnly };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = connection.Resolve(parse, console);
            var password = ReadPassword(parse.GetValue(passwordFile), console);
            // Connect first: an unreachable broker is one clear line, not a dashboard full of errors.
            await using (await BrokerSession.OpenAsync(settings, cancellationToken))
            {
            }

            using var stop = StopSignal.Listen(cancellationToken);
            await using var app = Build(settings, parse.GetValue(port), password, parse.GetValue(readOnly));
            try
            {
                await app.StartAsync(stop.Token);
            }
            catch (IOException e)
            {
                throw new CommandFailedException($"cannot serve on 127.0.0.1:{parse.GetValue(port)}: {e.Message}");
            }
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            console.Out.WriteLine($"Dashboard on {url}/ for {settings.DisplayUrl} ({(password is null ? "no password" : "basic auth")}); Ctrl+C stops it");
            console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync(CancellationToken.None);
            console.Out.WriteLine("Dashboard stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static WebApplication Build(ConnectionSettings settings, int port, string? password, bool readOnly)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        builder.Services.AddTaskQueue(o =>
        {
            o.Url = settings.Url;
            o.KeyPrefix = settings.Prefix;
        });
        builder.Services.AddTaskQueueDashboard();
        var app = builder.Build();
        if (password is not null) app.Use(new BasicAuth(password).InvokeAsync);
        app.MapTaskQueueDashboard("/", o => o.ReadOnly = readOnly);
        return app;
    }

    /// <summary>The password from the file, else from the environment, else null; a file that cannot be read or is empty
    /// is a usage error (the command must not start unprotected by mistake).</summary>
    private static string? ReadPassword(string? file, CliConsole console)
    {
        if (file is null) return console.GetVariable(PasswordVariable);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--password-file: cannot read '{file}': {e.Message}");
        }
        var password = text.TrimEnd('\r', '\n');
        return password.Length > 0 ? password : throw new UsageException($"--password-file: '{file}' is empty.");
    }
}
