using System.Net;
using System.Net.Http.Headers;
using Dundie.Data;
using Dundie.Hosting;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Monitoring;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace Dundie.Tests.Infrastructure;

/// <summary>The course's deployment as child processes: one <c>dundie serve</c> and <c>dundie worker</c>s that send real
/// e-mail over SMTP, on a database of their own and a key prefix of their own on the test broker.</summary>
/// <remarks>
/// Every process it starts is killed on dispose, whatever the test did. xUnit does not dispose what failed to
/// initialize, so a fixture that starts processes disposes this itself when its start fails.
/// </remarks>
public sealed class DundieDeployment : IAsyncDisposable
{
    public const string AdminPassword = "admin-e2e-password";

    /// <summary>How long a process may take to start on a loaded machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly TempFolder folder = new();
    private readonly TestDatabase database;
    private readonly List<DundieProcess> processes = [];
    private readonly string baseUrl = $"http://127.0.0.1:{TestSmtpServer.FreePort()}";
    private ServiceProvider? services;

    /// <param name="broker">The shared test broker.</param>
    /// <param name="settings">More <c>DUNDIE_*</c> settings for every process.</param>
    public DundieDeployment(TestBroker broker, IReadOnlyDictionary<string, string>? settings = null)
    {
        database = new TestDatabase(folder.Path);
        Environment = new()
        {
            ["DUNDIE_DB__URI"] = database.Uri,
            ["DUNDIE_DATA__DIR"] = Path.Combine(folder.Path, "data"),
            ["DUNDIE_ADMIN__PASSWORD"] = AdminPassword,
            ["DUNDIE_SECURITY__SECRET_KEY"] = "an-end-to-end-signing-key-of-enough-bytes",
            ["DUNDIE_SECURITY__BCRYPT_WORK_FACTOR"] = "4",
            ["DUNDIE_SECURITY__PWD_RESET_URL"] = "http://dundie.test/reset",
            ["DUNDIE_REDIS__URL"] = broker.Url,
            ["DUNDIE_REDIS__KEY_PREFIX"] = TestBroker.NewPrefix(),
            ["DUNDIE_EMAIL__DEBUG_MODE"] = "false",
            ["DUNDIE_EMAIL__SMTP_SERVER"] = "127.0.0.1",
            ["DUNDIE_EMAIL__SMTP_TLS"] = "None",
            ["DUNDIE_EMAIL__SMTP_SENDER"] = "dundie@dundermifflin.com",
            ["DUNDIE_EMAIL__LOG_FILE"] = Path.Combine(folder.Path, "email.log"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            Environment[key] = value;
        }
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The settings every process gets.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>A client of the API, not logged in.</summary>
    public HttpClient Http { get; }

    /// <summary>Dundie's own services in the test process, on the same database and queue as the child processes.</summary>
    public IServiceProvider Services => services ??= BuildServices();

    /// <summary>The default queue, as the API and the workers see it.</summary>
    public JobQueue Queue => Services.GetRequiredService<TaskQueueClient>().Queue();

    /// <summary>Starts <c>dundie serve</c> and waits until it answers <c>/health</c> (so the database is migrated).</summary>
    public async Task<DundieProcess> StartApiAsync()
    {
        var api = Start(null, "serve", "--urls", baseUrl);
        await Eventually.HoldsAsync(async () =>
        {
            Assert.False(api.HasExited, $"dundie serve exited early:\n{api.Output}\n{api.Error}");
            try
            {
                return (await Http.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "dundie serve to answer /health", StartDeadline);
        return api;
    }

    /// <summary>Starts <c>dundie worker ARGS</c> sending e-mail to the SMTP server on <paramref name="smtpPort"/>, and
    /// waits until it listens.</summary>
    public async Task<DundieProcess> StartWorkerAsync(int smtpPort, params string[] args)
    {
        var worker = Start(new Dictionary<string, string> { ["DUNDIE_EMAIL__SMTP_PORT"] = $"{smtpPort}" }, ["worker", .. args]);
        await Eventually.HoldsAsync(() =>
        {
            Assert.False(worker.HasExited, $"dundie worker exited early:\n{worker.Output}\n{worker.Error}");
            return Task.FromResult(worker.Output.Contains("started with PID"));
        }, "dundie worker to start", StartDeadline);
        return worker;
    }

    /// <summary>A client logged in as <c>admin</c>.</summary>
    public async Task<HttpClient> LoginAsAdminAsync()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(Http, AdminAccount.Username, AdminPassword);
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    /// <summary>Inserts <paramref name="count"/> users in one save through the app's own database context; returns their e-mails.</summary>
    /// <remarks>
    /// Thousands of <c>POST /user/</c> calls would cost a bcrypt hash and a commit each; the users share one hash here,
    /// and the rows are what the API would write (a user and its balance row; user <c>i</c> has <c>i</c> points).
    /// </remarks>
    public async Task<IReadOnlyList<string>> AddUsersAsync(int count, string emailDomain)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DundieDb>();
        var hash = scope.ServiceProvider.GetRequiredService<PasswordHasher>().Hash("bulk-password-1");
        var now = DateTime.UtcNow;
        var users = Enumerable.Range(1, count).Select(i => new User
        {
            Name = $"Bulk User {i}",
            Email = $"bulk{i:D5}@{emailDomain}",
            Username = $"bulk-{i:D5}",
            Dept = "sales",
            PasswordHash = hash,
            Balance = new Balance { Value = i, UpdatedAt = now },
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users.Select(u => u.Email).ToList();
    }

    /// <summary>Waits until no job of the default queue is waiting, running or scheduled for a retry.</summary>
    public Task<QueueCounts> WaitUntilQueueDrainedAsync(TimeSpan timeout) => Eventually.ReturnsAsync(
        () => Queue.GetCountsAsync(), c => c is { Queued: 0, Started: 0, Scheduled: 0 }, "the queue to drain", timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        // SIGKILL, not SIGTERM: nothing these tests check depends on a clean stop, and a drain would only cost time.
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
        processes.Clear();
        if (services is not null)
        {
            await services.DisposeAsync();
        }
        database.Dispose();
        folder.Dispose();
    }

    private DundieProcess Start(IReadOnlyDictionary<string, string>? extra, params string[] args)
    {
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = DundieProcess.Start(folder.Path, environment, null, args);
        processes.Add(process);
        return process;
    }

    private ServiceProvider BuildServices()
    {
        // The children's DUNDIE_A__B variables, as the keys A:B their configuration reads.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Environment.Select(setting =>
            new KeyValuePair<string, string?>(
                setting.Key[DundieConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal),
                setting.Value))).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging();
        collection.AddDundieCore();
        collection.AddDundieQueue(configuration);
        return collection.BuildServiceProvider();
    }
}
