using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class RateLimitPerEmailTests(RateLimitPerEmailTests.Api api) : IClassFixture<RateLimitPerEmailTests.Api>
{
    [Fact]
    public async Task PwdReset_SameEmailPastLimit_Returns429()
    {
        var client = api.CreateClient();

        var first = await client.PostJsonAsync("/user/pwd_reset_token/", new { email = "limited@dm.com" });
        var second = await client.PostJsonAsync("/user/pwd_reset_token/", new { email = "LIMITED@dm.com" });
        var third = await client.PostJsonAsync("/user/pwd_reset_token/", new { email = "limited@dm.com" });
        var otherAddress = await client.PostJsonAsync("/user/pwd_reset_token/", new { email = "free@dm.com" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    public sealed class Api : DundieApiFactory
    {
        public Api(TestBroker broker)
            : base(broker)
        {
            With("RATE_LIMIT:PWD_RESET_PER_EMAIL", "2");
            With("RATE_LIMIT:PWD_RESET_PER_IP", "1000");
        }
    }
}

public sealed class RateLimitPerIpTests(RateLimitPerIpTests.Api api) : IClassFixture<RateLimitPerIpTests.Api>
{
    [Fact]
    public async Task PwdReset_SameClientPastLimit_Returns429()
    {
        var client = api.CreateClient();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostJsonAsync("/user/pwd_reset_token/", new { email = $"user{i}@dm.com" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task OtherRoutes_AreNotLimited()
    {
        var client = await api.LoginAsAdminAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/user/")).StatusCode);
        }
    }

    public sealed class Api : DundieApiFactory
    {
        public Api(TestBroker broker)
            : base(broker)
        {
            With("RATE_LIMIT:PWD_RESET_PER_IP", "3");
            With("RATE_LIMIT:PWD_RESET_PER_EMAIL", "100");
        }
    }
}
