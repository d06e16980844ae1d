using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

/// <summary><c>taskq dashboard</c> served on loopback, with and without a password.</summary>
public sealed partial class DashboardCommandTests(TestBroker broker)
{
    private const string Password = "s3cret-Dashboard-pw";

    [Fact]
    public async Task Dashboard_PasswordFromEnvironment_BasicAuthRequiredAndPasswordNeverPrinted()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var job = await q.Client.Queue("mail").EnqueueAsync("taskq.echo", ["hi"]);
        var output = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = CliRunner.RunRawAsync(["dashboard", "--port", "0", "--url", broker.Url, "--prefix", q.Prefix],
            new Dictionary<string, string> { ["TASKQ_DASHBOARD_PASSWORD"] = Password }, stop.Token, output);
        var url = await UrlAsync(output, run);
        using var http = new HttpClient();

        var anonymous = await http.GetAsync(url);
        var wrong = await http.SendAsync(Request(url, "wrong"));
        var right = await http.SendAsync(Request(url + "queues/mail", Password));
        var api = await http.SendAsync(Request(url + "api/jobs/" + job.Id, Password));
        await stop.CancelAsync();
        var result = await run;

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(job.Id, await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("basic auth", result.Out);
        Assert.DoesNotContain(Password, result.Out + result.Error);
        Assert.StartsWith("http://127.0.0.1:", url);
    }

    [Fact]
    public async Task Dashboard_NoPassword_ServesOpenlyOnLoopback()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var output = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = CliRunner.RunRawAsync(["dashboard", "--port", "0", "--url", broker.Url, "--prefix", q.Prefix, "--read-only"],
            new Dictionary<string, string>(), stop.Token, output);
        var url = await UrlAsync(output, run);
        using var http = new HttpClient();
        var page = await http.GetAsync(url);
        await stop.CancelAsync();
        await run;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("read-only", await page.Content.ReadAsStringAsync());
        Assert.Contains("no password", output.Text);
    }

    [Fact]
    public async Task Dashboard_PasswordFileMissingOrEmpty_UsageExit2()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var missing = await CliRunner.RunRawAsync(["dashboard", "--password-file", "/nonexistent/pw"], new Dictionary<string, string>(),
                TestContext.Current.CancellationToken);
            var blank = await CliRunner.RunRawAsync(["dashboard", "--password-file", empty], new Dictionary<string, string>(),
                TestContext.Current.CancellationToken);

            Assert.Equal(2, missing.ExitCode);
            Assert.StartsWith("taskq: --password-file: cannot read '/nonexistent/pw'", missing.Error);
            Assert.Equal(2, blank.ExitCode);
            Assert.Contains("is empty", blank.Error);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    private static async Task<string> UrlAsync(CapturedWriter output, Task<CliResult> run)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(ServingUrl().IsMatch(output.Text) || run.IsCompleted), "the dashboard's URL");
        Assert.False(run.IsCompleted, $"taskq dashboard exited: {(run.IsCompleted ? run.Result.ToString() : "")}");
        return ServingUrl().Match(output.Text).Groups[1].Value;
    }

    private static HttpRequestMessage Request(string url, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password)));
        return request;
    }

    [GeneratedRegex(@"Dashboard on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ServingUrl();
}
