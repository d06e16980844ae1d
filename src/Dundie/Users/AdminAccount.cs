using System.Buffers.Text;
using System.Security.Cryptography;
using Dundie.Api;
using Dundie.Settings;
using Microsoft.Extensions.Options;

namespace Dundie.Users;

/// <summary>Creates the built-in <c>admin</c> superuser the first time Dundie starts.</summary>
public sealed partial class AdminAccount(
    UserAccounts accounts, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminAccount> logger)
{
    /// <summary>The admin's username.</summary>
    public const string Username = "admin";

    /// <summary>Creates <c>admin</c> (dept management) unless it exists.</summary>
    /// <remarks>
    /// The password is <c>DUNDIE_ADMIN__PASSWORD</c> when set; otherwise it is generated and written to the console,
    /// once, never to the logs (which may be shipped elsewhere).
    /// </remarks>
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (await accounts.FindAsync(Username, cancellationToken) is not null)
        {
            return;
        }
        var configured = options.Value.Password;
        var password = string.IsNullOrEmpty(configured)
            ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(15))
            : configured;
        var request = new CreateUserRequest("Admin", "admin@dundie.local", User.ManagementDept, password, Username);
        var errors = new FieldErrors(time.GetUtcNow());
        request.Validate(errors);
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException($"DUNDIE_ADMIN__PASSWORD is not usable: {errors}");
        }
        try
        {
            await accounts.CreateAsync(request, cancellationToken);
        }
        catch (UserConflictException)
        {
            // A process started beside this one created it first; that one reported the password.
            return;
        }
        Log.AdminCreated(logger);
        if (string.IsNullOrEmpty(configured))
        {
            Console.Out.WriteLine($"Created user 'admin' with the generated password: {password}");
            Console.Out.WriteLine("Keep it now: it is not shown again. Set DUNDIE_ADMIN__PASSWORD to choose it yourself.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin user")]
        public static partial void AdminCreated(ILogger logger);
    }
}
