using System.CommandLine;
using Dundie.Transactions;
using Dundie.Users;

namespace Dundie.Cli;

/// <summary><c>dundie transaction USERNAME VALUE</c>: gives points from <c>admin</c>.</summary>
public static class TransactionCommand
{
    public static Command Create()
    {
        var username = new Argument<string>("USERNAME") { Description = "Who receives the points." };
        var value = new Argument<int>("VALUE") { Description = "How many points (more than 0)." };
        var command = new Command("transaction", "Give points to a user from admin.") { username, value };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var receiver = parseResult.GetValue(username)!;
            var points = parseResult.GetValue(value);
            if (points <= 0)
            {
                throw new CommandFailedException("VALUE must be greater than 0.");
            }
            using var host = await AdminHost.StartAsync(cancellationToken: cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var admin = await scope.ServiceProvider.GetRequiredService<UserAccounts>().FindAsync(AdminAccount.Username, cancellationToken)
                ?? throw new CommandFailedException("The admin user does not exist.");
            var result = await scope.ServiceProvider.GetRequiredService<Transfers>()
                .TransferAsync(admin, receiver, points, cancellationToken);
            if (result.Outcome != TransferOutcome.Done)
            {
                throw new CommandFailedException(TransferOutcomes.Describe(result.Outcome, receiver));
            }
            Console.Out.WriteLine($"Gave {points} points from admin to {receiver}.");
            return 0;
        });
        return command;
    }
}
