using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue;
using TaskQueue.TestSupport;

namespace Dundie.Tests.Infrastructure;

/// <summary>The real API in memory, on a database of its own (one factory per test class).</summary>
/// <remarks>Settings go in as host settings, exactly the keys <c>DUNDIE_*</c> variables set in production.</remarks>
public class DundieApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The admin's password in every test host.</summary>
    public const string AdminPassword = "admin-test-password";

    /// <summary>The password <see cref="CreateUserAsync"/> gives users unless told otherwise.</summary>
    public const string DefaultPassword = "password-123";

    private readonly TempFolder folder = new();
    private readonly Dictionary<string, string?> settings;

    public DundieApiFactory(TestBroker broker)
    {
        Database = new TestDatabase(folder.Path);
        settings = new()
        {
            ["DB:URI"] = Database.Uri,
            ["DATA:DIR"] = Path.Combine(folder.Path, "data"),
            ["SECURITY:SECRET_KEY"] = "a-test-signing-key-that-is-long-enough-for-hs256",
            ["SECURITY:BCRYPT_WORK_FACTOR"] = "4",
            ["ADMIN:PASSWORD"] = AdminPassword,
            ["EMAIL:LOG_FILE"] = EmailLog,
            ["REDIS:URL"] = broker.Url,
            ["REDIS:KEY_PREFIX"] = KeyPrefix,
        };
    }

    /// <summary>This factory's queue key prefix on the shared test broker.</summary>
    public string KeyPrefix { get; } = TestBroker.NewPrefix();

    private bool withWorker;

    /// <summary>Also runs a worker with the scheduler in the API host, as <c>dundie up</c> does.</summary>
    public DundieApiFactory WithWorker()
    {
        withWorker = true;
        return this;
    }

    /// <summary>This factory's database.</summary>
    public TestDatabase Database { get; }

    /// <summary>Where debug-mode e-mail goes.</summary>
    public string EmailLog => Path.Combine(folder.Path, "email.log");

    /// <summary>Changes a setting before the host starts (the first client or <see cref="WebApplicationFactory{T}.Services"/> use).</summary>
    public DundieApiFactory With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (withWorker)
        {
            builder.ConfigureServices(services => services.AddTaskQueue().AddWorker(worker =>
            {
                worker.WithScheduler = true;
                worker.Concurrency = 4;
                worker.SchedulerMaxSleep = TimeSpan.FromMilliseconds(500);
            }));
        }
    }

    /// <summary>Creates a user through the real account service.</summary>
    public async Task<User> CreateUserAsync(
        string name, string dept = "sales", string? email = null, string password = DefaultPassword, string? username = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        return await accounts.CreateAsync(new CreateUserRequest(
            name, email ?? $"{Usernames.FromName(username ?? name)}@dm.com", dept, password, username));
    }

    /// <summary>Gives points from admin to a user through the real transfer service.</summary>
    public async Task GiveFromAdminAsync(string username, int value)
    {
        await using var scope = Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserAccounts>().FindAsync(AdminAccount.Username);
        var result = await scope.ServiceProvider.GetRequiredService<Transfers>().TransferAsync(admin!, username, value);
        Assert.Equal(TransferOutcome.Done, result.Outcome);
    }

    /// <summary>The e-mail written to the debug log so far.</summary>
    public string ReadEmailLog() => File.Exists(EmailLog) ? File.ReadAllText(EmailLog) : "";

    /// <summary>Reads a user's balance straight from the database.</summary>
    public async Task<long> BalanceOfAsync(string username)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.DundieDb>();
        return db.Balances.Single(b => b.User.Username == username).Value;
    }

    /// <summary>Logs in through <c>POST /token</c> and returns a client that sends the access token.</summary>
    public async Task<HttpClient> LoginAsync(string username, string password = DefaultPassword)
    {
        var client = CreateClient();
        var tokens = await RequestTokensAsync(client, username, password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    /// <summary>A client logged in as admin.</summary>
    public Task<HttpClient> LoginAsAdminAsync() => LoginAsync(AdminAccount.Username, AdminPassword);

    /// <summary>Calls <c>POST /token</c> and returns the tokens.</summary>
    public static async Task<TokenPair> RequestTokensAsync(HttpClient client, string username, string password)
    {
        var response = await client.PostAsync("/token", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["username"] = username, ["password"] = password }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenPair>(Json.Options))!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
            folder.Dispose();
        }
    }
}

/// <summary>The token answer, as a client reads it.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, string TokenType);
