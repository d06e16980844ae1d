using System.CommandLine;
using Dundie.Api;
using Dundie.Users;

namespace Dundie.Cli;

/// <summary><c>dundie create-user NAME EMAIL PASSWORD DEPT [--username U] [--currency C]</c>.</summary>
public static class CreateUserCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Full name, e.g. \"Jim Halpert\"." };
        var email = new Argument<string>("EMAIL");
        var password = new Argument<string>("PASSWORD");
        var dept = new Argument<string>("DEPT") { Description = "Department; 'management' makes a superuser." };
        var username = new Option<string?>("--username") { Description = "Username (default: derived from the name)." };
        var currency = new Option<string?>("--currency") { Description = "Three-letter currency code (default USD)." };
        var command = new Command("create-user", "Create a user.") { name, email, password, dept, username, currency };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = new CreateUserRequest(
                parseResult.GetValue(name), parseResult.GetValue(email), parseResult.GetValue(dept),
                parseResult.GetValue(password), parseResult.GetValue(username), Currency: parseResult.GetValue(currency));
            var errors = new FieldErrors(DateTimeOffset.UtcNow);
            request.Validate(errors);
            if (!errors.IsEmpty)
            {
                throw new CommandFailedException(errors.ToString());
            }
            using var host = await AdminHost.StartAsync(cancellationToken: cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                var user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(request, cancellationToken);
                Console.Out.WriteLine($"Created user {user.Username} ({user.Email}, {user.Dept}).");
            }
            catch (UserConflictException e)
            {
                throw new CommandFailedException(e.Message);
            }
            return 0;
        });
        return command;
    }
}
