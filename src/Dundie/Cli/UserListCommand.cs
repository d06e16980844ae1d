using System.CommandLine;
using Dundie.Data;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Dundie.Cli;

/// <summary><c>dundie user-list</c>: every user with their balance, as a table.</summary>
public static class UserListCommand
{
    public static Command Create()
    {
        var command = new Command("user-list", "List users and their balances.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await AdminHost.StartAsync(cancellationToken: cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DundieDb>();
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Id)
                .Select(u => new { u.Name, u.Username, u.Email, u.Dept, u.Currency, Balance = u.Balance == null ? 0 : u.Balance.Value })
                .ToListAsync(cancellationToken);

            var table = new Table().Title("Dundie users")
                .AddColumns("Name", "Username", "Email", "Dept", "Currency")
                .AddColumn(new TableColumn("Balance").RightAligned());
            foreach (var user in users)
            {
                table.AddRow(
                    Markup.Escape(user.Name), Markup.Escape(user.Username), Markup.Escape(user.Email),
                    Markup.Escape(user.Dept), user.Currency, user.Balance.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (Console.IsOutputRedirected)
            {
                // Piped to a file or grep: no terminal width to fit, so rows are not wrapped mid-word.
                AnsiConsole.Profile.Width = 500;
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
