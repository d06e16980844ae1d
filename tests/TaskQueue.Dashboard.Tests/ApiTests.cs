using System.Net;
using System.Text.Json;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>The JSON under <c>api/</c>.</summary>
public sealed class ApiTests(TestBroker broker)
{
    [Fact]
    public async Task Queues_Json_CountsAndOldestAge()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        await app.Queue.Queue("mail").EnqueueAsync("tests.echo", [1]);

        var json = await GetJsonAsync(app, "/jobs/api/queues");

        var queue = json.EnumerateArray().Single();
        Assert.Equal("mail", queue.GetProperty("name").GetString());
        Assert.Equal(1, queue.GetProperty("queued").GetInt64());
        Assert.True(queue.GetProperty("oldest_age_seconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task Job_Json_StatusAndCall()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var job = await app.Queue.Queue().EnqueueAsync("tests.echo", ["hi"]);

        var json = await GetJsonAsync(app, "/jobs/api/jobs/" + job.Id);

        Assert.Equal("queued", json.GetProperty("job").GetProperty("status").GetString());
        Assert.Equal("tests.echo", json.GetProperty("job").GetProperty("call").GetProperty("task_name").GetString());
    }

    [Fact]
    public async Task Search_Json_FindsAndSaysComplete()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var job = await app.Queue.Queue().EnqueueAsync("tests.echo", ["needle-7"]);

        var json = await GetJsonAsync(app, "/jobs/api/search?q=needle-7");

        Assert.Equal(job.Id, json.GetProperty("jobs").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Overview_Since_OnlyNewBuckets()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var full = await GetJsonAsync(app, "/jobs/api/overview");
        var since = await GetJsonAsync(app, $"/jobs/api/overview?since={now}");

        Assert.InRange(full.GetProperty("stats").GetArrayLength(), 360, 362);
        Assert.InRange(since.GetProperty("stats").GetArrayLength(), 1, 2);
    }

    private static async Task<JsonElement> GetJsonAsync(DashboardApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
