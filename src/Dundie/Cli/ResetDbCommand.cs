using System.CommandLine;
using Dundie.Data;
using Dundie.Hosting;

namespace Dundie.Cli;

/// <summary><c>dundie reset-db [-f]</c>: drops the database and creates it again, empty but for <c>admin</c>.</summary>
public static class ResetDbCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not ask for confirmation." };
        var command = new Command("reset-db", "Delete all data and recreate the database.") { force };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await AdminHost.StartAsync(cancellationToken: cancellationToken);
            var target = host.Services.GetRequiredService<DatabaseTarget>();
            if (!parseResult.GetValue(force) && !Confirm($"Delete every user and transaction in the {target.Provider} database?"))
            {
                Console.Out.WriteLine("Nothing was changed.");
                return 1;
            }
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DundieDb>().Database.EnsureDeletedAsync(cancellationToken);
            }
            await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            Console.Out.WriteLine("The database was reset.");
            return 0;
        });
        return command;
    }

    private static bool Confirm(string question)
    {
        Console.Out.Write($"{question} [y/N] ");
        var answer = Console.In.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
