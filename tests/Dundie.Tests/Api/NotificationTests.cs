using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class NotificationTests(PasswordResetTests.WorkerApi api) : IClassFixture<PasswordResetTests.WorkerApi>
{
    [Fact]
    public async Task NotifyBalances_AsSuperuser_QueuesOneEmailPerUserAndWorkerSendsThem()
    {
        await api.CreateUserAsync("Notified One", email: "notified.one@dm.com");
        await api.CreateUserAsync("Notified Two", email: "notified.two@dm.com");
        await api.GiveFromAdminAsync("notified-two", 7);
        var admin = await api.LoginAsAdminAsync();
        var userCount = (await (await admin.GetAsync("/user/")).ReadJsonAsync()).GetArrayLength();

        var response = await admin.PostAsync("/notifications/balance/", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(userCount, (await response.ReadJsonAsync()).GetProperty("count").GetInt32());
        await Eventually.HoldsAsync(
            () => Task.FromResult(api.ReadEmailLog().Contains("To: notified.two@dm.com")), "the balance e-mails");
        var log = api.ReadEmailLog();
        Assert.Contains("Subject: Your Dundie balance", log);
        Assert.Contains("Your Dundie balance is 7 points", log);
    }

    [Fact]
    public async Task NotifyBalances_AsRegularUser_Returns403()
    {
        await api.CreateUserAsync("Not Boss", username: "not-boss");
        var client = await api.LoginAsync("not-boss");

        var response = await client.PostAsync("/notifications/balance/", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
