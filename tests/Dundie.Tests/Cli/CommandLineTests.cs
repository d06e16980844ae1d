using TaskQueue.TestSupport;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Cli;

/// <summary>The admin commands, run as the real program against a database of their own.</summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder folder = new();
    private readonly TestDatabase database;
    private readonly Dictionary<string, string> environment;

    public CommandLineTests(TestBroker broker)
    {
        database = new TestDatabase(folder.Path);
        environment = new()
        {
            ["DUNDIE_DB__URI"] = database.Uri,
            ["DUNDIE_DATA__DIR"] = Path.Combine(folder.Path, "data"),
            ["DUNDIE_ADMIN__PASSWORD"] = "admin-cli-password",
            ["DUNDIE_SECURITY__BCRYPT_WORK_FACTOR"] = "4",
            ["DUNDIE_REDIS__URL"] = broker.Url,
            ["DUNDIE_REDIS__KEY_PREFIX"] = TestBroker.NewPrefix(),
        };
    }

    [Fact]
    public async Task CreateUser_ThenUserList_ShowsUserWithDerivedUsername()
    {
        var created = await Run("create-user", "Jim Halpert", "jim@dm.com", "beesly-4ever", "sales");
        var list = await Run("user-list");

        AssertSucceeded(created);
        Assert.Contains("Created user jim-halpert", created.Output);
        AssertSucceeded(list);
        Assert.Contains("jim-halpert", list.Output);
        Assert.Contains("admin", list.Output);
    }

    [Fact]
    public async Task CreateUser_UsernameAndCurrencyOptions_AreUsed()
    {
        var created = await Run("create-user", "Dwight Schrute", "dwight@dm.com", "beets-and-bears", "sales", "--username", "dwight", "--currency", "EUR");

        AssertSucceeded(created);
        Assert.Contains("Created user dwight", created.Output);
        Assert.Contains("EUR", (await Run("user-list")).Output);
    }

    [Fact]
    public async Task CreateUser_TakenUsername_OneLineErrorAndExit1()
    {
        await Run("create-user", "Pam Beesly", "pam@dm.com", "art-school-1", "reception");

        var again = await Run("create-user", "Pam Beesly", "pam2@dm.com", "art-school-1", "reception");

        AssertFailedWith(again, "error: Username already taken");
    }

    [Fact]
    public async Task CreateUser_InvalidInput_OneLineErrorNamingFields()
    {
        var result = await Run("create-user", "Kevin", "not-an-email", "short", "accounting");

        AssertFailedWith(result, "error: email: Not a valid e-mail address.; password: At least 8 characters.");
    }

    [Fact]
    public async Task Transaction_FromAdmin_ShowsInBalances()
    {
        await Run("create-user", "Oscar Martinez", "oscar@dm.com", "actually-1", "accounting");

        var given = await Run("transaction", "oscar-martinez", "250");

        AssertSucceeded(given);
        Assert.Contains("Gave 250 points from admin to oscar-martinez", given.Output);
        var row = (await Run("user-list")).Output.Split('\n').Single(l => l.Contains("oscar-martinez"));
        Assert.Contains("250", row);
    }

    [Fact]
    public async Task Transaction_UnknownUser_OneLineError()
    {
        AssertFailedWith(await Run("transaction", "ghost", "5"), "error: User ghost not found");
    }

    [Fact]
    public async Task Transaction_NotANumber_FailsWithoutStackTrace()
    {
        var result = await Run("transaction", "admin", "lots");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error + result.Output);
    }

    [Fact]
    public async Task ResetDb_Force_LeavesOnlyAdmin()
    {
        await Run("create-user", "Angela Martin", "angela@dm.com", "sprinkles-1", "accounting");

        var reset = await Run("reset-db", "-f");

        AssertSucceeded(reset);
        var list = (await Run("user-list")).Output;
        Assert.DoesNotContain("angela", list);
        Assert.Contains("admin", list);
    }

    [Fact]
    public async Task ResetDb_AnswerNo_KeepsData()
    {
        await Run("create-user", "Creed Bratton", "creed@dm.com", "mung-beans-1", "qa");

        var reset = await DundieProcess.RunAsync(folder.Path, environment, Timeout, "n\n", "reset-db");

        Assert.Equal(1, reset.ExitCode);
        Assert.Contains("[y/N]", reset.Output);
        Assert.Contains("creed", (await Run("user-list")).Output);
    }

    [Fact]
    public async Task FirstStart_NoAdminPassword_PrintsGeneratedPasswordOnce()
    {
        environment.Remove("DUNDIE_ADMIN__PASSWORD");

        var first = await Run("user-list");
        var second = await Run("user-list");

        Assert.Contains("Created user 'admin' with the generated password:", first.Output);
        Assert.DoesNotContain("generated password", second.Output);
    }

    [Fact]
    public async Task Serve_ProductionWithoutSecretKey_RefusesToStart()
    {
        var result = await Run("serve", "--urls", "http://127.0.0.1:0");

        AssertFailedWith(result, "error: DUNDIE_SECURITY__SECRET_KEY must be set to a random string of at least 32 bytes.");
    }

    [Fact]
    public async Task Worker_BrokerUnreachable_OneLineError()
    {
        var result = await Run("worker", "--url", "redis://127.0.0.1:1", "--burst");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Worker_InvalidWorkerSetting_RefusesToStartNamingIt()
    {
        // Checked when the host starts (WorkerOptions validation), before the worker takes any job.
        environment["DUNDIE_TASKQUEUE__WORKER__MAXABANDONS"] = "-1";

        var result = await Run("worker");

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}");
        Assert.Contains("error: MaxAbandons cannot be negative, not -1.", result.Error);
    }

    [Fact]
    public async Task Worker_HeartbeatBelowMinimum_UsageError()
    {
        var result = await Run("worker", "--heartbeat", "50ms");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--heartbeat must be a duration of at least 100 ms", result.Error);
    }

    [Fact]
    public async Task NoCommand_ShowsHelp()
    {
        var result = await Run();

        AssertSucceeded(result);
        Assert.Contains("create-user", result.Output);
        Assert.Contains("notify-balances", result.Output);
    }

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }

    private Task<DundieProcess> Run(params string[] args) => DundieProcess.RunAsync(folder.Path, environment, Timeout, null, args);

    private static void AssertSucceeded(DundieProcess result) =>
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}");

    private static void AssertFailedWith(DundieProcess result, string line)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}");
        Assert.Equal(line, result.Error.Trim());
    }
}
