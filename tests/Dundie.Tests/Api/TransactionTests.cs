using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class TransactionTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task Give_WithEnoughBalance_MovesPointsAndReturns201()
    {
        await api.CreateUserAsync("Jim Halpert", username: "jim");
        await api.CreateUserAsync("Pam Halpert", username: "pam");
        await api.GiveFromAdminAsync("jim", 100);
        var jim = await api.LoginAsync("jim");

        var response = await jim.PostJsonAsync("/transaction/pam/", new { value = 30 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(30, body.GetProperty("value").GetInt32());
        Assert.Equal("pam", body.GetProperty("user").GetString());
        Assert.Equal("jim", body.GetProperty("from_user").GetString());
        Assert.Equal(70, await api.BalanceOfAsync("jim"));
        Assert.Equal(30, await api.BalanceOfAsync("pam"));
    }

    [Fact]
    public async Task Give_MoreThanBalance_Returns400AndMovesNothing()
    {
        await api.CreateUserAsync("Andy Bernard", username: "andy");
        await api.CreateUserAsync("Walter Bernard", username: "walter");
        await api.GiveFromAdminAsync("andy", 10);
        var andy = await api.LoginAsync("andy");

        var response = await andy.PostJsonAsync("/transaction/walter/", new { value = 11 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Insufficient balance", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(10, await api.BalanceOfAsync("andy"));
        Assert.Equal(0, await api.BalanceOfAsync("walter"));
    }

    [Fact]
    public async Task Give_AsSuperuserWithoutBalance_Succeeds()
    {
        await api.CreateUserAsync("Charles Miner", dept: "management", username: "charles");
        await api.CreateUserAsync("Packer Todd", username: "packer");
        var charles = await api.LoginAsync("charles");

        var response = await charles.PostJsonAsync("/transaction/packer/", new { value = 500 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(-500, await api.BalanceOfAsync("charles"));
        Assert.Equal(500, await api.BalanceOfAsync("packer"));
    }

    [Fact]
    public async Task Give_UnknownReceiver_Returns404()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/nobody-here/", new { value = 5 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Give_ToSelf_Returns400()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/admin/", new { value = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Give_NotPositive_Returns422(int value)
    {
        await api.CreateUserAsync($"Zero Value {-value}", username: $"zero-{-value}");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync($"/transaction/zero-{-value}/", new { value });

        await ValidationTests.AssertFieldError(response, "value");
    }

    [Fact]
    public async Task Give_MissingValue_Returns422()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/admin/", new { });

        await ValidationTests.AssertFieldError(response, "value");
    }

    [Fact]
    public async Task Give_AtInThePast_Returns422()
    {
        await api.CreateUserAsync("Past Person", username: "past");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/past/", new { value = 5, at = DateTimeOffset.UtcNow.AddMinutes(-1) });

        await ValidationTests.AssertFieldError(response, "at");
    }

    [Fact]
    public async Task Give_Anonymous_Returns401()
    {
        var response = await api.CreateClient().PostJsonAsync("/transaction/admin/", new { value = 5 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Give_ConcurrentTransfersBeyondBalance_NeverOverdraw()
    {
        await api.CreateUserAsync("Race Sender", username: "race-sender");
        await api.CreateUserAsync("Race Receiver", username: "race-receiver");
        await api.GiveFromAdminAsync("race-sender", 50);
        var sender = await api.LoginAsync("race-sender");

        // 20 transfers of 10 against a balance of 50: exactly 5 may succeed, whatever the interleaving.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => sender.PostJsonAsync("/transaction/race-receiver/", new { value = 10 })));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(0, await api.BalanceOfAsync("race-sender"));
        Assert.Equal(50, await api.BalanceOfAsync("race-receiver"));
    }
}
