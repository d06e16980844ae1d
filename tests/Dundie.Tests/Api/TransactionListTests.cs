using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

/// <summary><c>GET /transaction/</c>: visibility, filters, order and pages, on a fixed set of transactions.</summary>
public sealed class TransactionListTests(TransactionListTests.Fixture data) : IClassFixture<TransactionListTests.Fixture>
{
    private DundieApiFactory Api => data.Api;

    [Fact]
    public async Task List_AsSuperuser_SeesEverything()
    {
        var page = await GetAsync(await Api.LoginAsAdminAsync(), "/transaction/?size=100");

        Assert.Equal(data.Total, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_AsUser_SeesOnlyOwnTransactions()
    {
        var page = await GetAsync(await Api.LoginAsync("lister-b"), "/transaction/?size=100");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, page.GetProperty("total").GetInt32());
        Assert.All(items, t => Assert.True(
            t.GetProperty("user").GetString() == "lister-b" || t.GetProperty("from_user").GetString() == "lister-b"));
    }

    [Fact]
    public async Task List_FilterByUserAndFromUser_Narrows()
    {
        var admin = await Api.LoginAsAdminAsync();

        var received = await GetAsync(admin, "/transaction/?user=lister-b");
        var sentByA = await GetAsync(admin, "/transaction/?from_user=lister-a&user=lister-b");

        Assert.Equal(3, received.GetProperty("total").GetInt32());
        Assert.Equal(2, sentByA.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_OrderByDate_OldestFirst()
    {
        var page = await GetAsync(await Api.LoginAsAdminAsync(), "/transaction/?order_by=date&size=100");

        var ids = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task List_DefaultOrder_NewestFirst()
    {
        var page = await GetAsync(await Api.LoginAsAdminAsync(), "/transaction/?size=100");

        var ids = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task List_Pages_AreDisjointAndComplete()
    {
        var admin = await Api.LoginAsAdminAsync();

        var first = await GetAsync(admin, "/transaction/?size=3&page=1");
        var second = await GetAsync(admin, "/transaction/?size=3&page=2");
        var beyond = await GetAsync(admin, "/transaction/?size=3&page=100");

        Assert.Equal(3, first.GetProperty("size").GetInt32());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        var firstIds = first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32());
        var secondIds = second.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32());
        Assert.Empty(firstIds.Intersect(secondIds));
        Assert.Equal(0, beyond.GetProperty("items").GetArrayLength());
        Assert.Equal(data.Total, beyond.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("size=0", "size")]
    [InlineData("size=101", "size")]
    [InlineData("order_by=name", "order_by")]
    [InlineData("page=99999999&size=100", "page")]
    public async Task List_BadQuery_Returns422(string query, string field)
    {
        var response = await (await Api.LoginAsAdminAsync()).GetAsync($"/transaction/?{query}");

        await ValidationTests.AssertFieldError(response, field);
    }

    [Fact]
    public async Task List_Anonymous_Returns401()
    {
        var response = await Api.CreateClient().GetAsync("/transaction/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<System.Text.Json.JsonElement> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>admin gives to a, b and c; a gives to b twice; b gives to c once: 6 transactions, 4 involve b.</summary>
    public sealed class Fixture(TestBroker broker) : IAsyncLifetime
    {
        public DundieApiFactory Api { get; } = new(broker);

        public int Total => 6;

        public async ValueTask InitializeAsync()
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                await Api.CreateUserAsync($"Lister {name}", username: $"lister-{name}");
                await Api.GiveFromAdminAsync($"lister-{name}", 100);
            }
            var a = await Api.LoginAsync("lister-a");
            var b = await Api.LoginAsync("lister-b");
            Assert.Equal(HttpStatusCode.Created, (await a.PostJsonAsync("/transaction/lister-b/", new { value = 1 })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await a.PostJsonAsync("/transaction/lister-b/", new { value = 2 })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await b.PostJsonAsync("/transaction/lister-c/", new { value = 3 })).StatusCode);
        }

        public async ValueTask DisposeAsync() => await Api.DisposeAsync();
    }
}
