using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dundie.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dundie.Tests.Api;

/// <summary>The job dashboard at <c>/admin/jobs</c>: superusers only, through the admin login cookie.</summary>
public sealed partial class AdminDashboardTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task Dashboard_Anonymous_SentToLoginAndApi401()
    {
        var browser = Browser();

        var page = await browser.GetAsync("/admin/jobs/");
        var json = await browser.GetAsync("/admin/jobs/api/queues");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/admin/login", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
    }

    [Fact]
    public async Task Dashboard_LoggedInNonSuperuser_403()
    {
        await api.CreateUserAsync("Dwight Schrute", dept: "sales", username: "dwight-admin");
        var browser = Browser();

        var login = await LogInAsync(browser, "dwight-admin", DundieApiFactory.DefaultPassword);
        var page = await browser.GetAsync("/admin/jobs/");
        var json = await browser.GetAsync("/admin/jobs/api/queues");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, json.StatusCode);
    }

    [Fact]
    public async Task Dashboard_Superuser_SeesItWithAStrictHttpOnlyCookie()
    {
        var browser = Browser();

        var login = await LogInAsync(browser, "admin", DundieApiFactory.AdminPassword);
        var page = await browser.GetAsync("/admin/jobs/");

        Assert.Equal("/admin/jobs/", login.Headers.Location!.OriginalString);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dundie_admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/admin", cookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = await page.Content.ReadAsStringAsync();
        Assert.Contains("Dundie jobs", body);
        Assert.Contains("href=\"/admin/jobs/workers\"", body);
    }

    [Fact]
    public async Task Dashboard_ActionWithoutAntiforgeryToken_Refused()
    {
        var browser = Browser();
        await LogInAsync(browser, "admin", DundieApiFactory.AdminPassword);

        var response = await browser.PostAsync("/admin/jobs/queues/default/empty", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_AdminBearerToken_NotACookieSoSentToLogin()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "admin", DundieApiFactory.AdminPassword);
        var browser = Browser();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var page = await browser.GetAsync("/admin/jobs/");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPasswordOrNoToken_Refused()
    {
        var browser = Browser();

        var wrong = await LogInAsync(browser, "admin", "not-the-password");
        var forged = await browser.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = DundieApiFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("dundie_admin=", StringComparison.Ordinal));
    }

    private HttpClient Browser() => api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, string username, string password)
    {
        var form = await (await browser.GetAsync("/admin/login")).Content.ReadAsStringAsync();
        var token = TokenField().Match(form);
        Assert.True(token.Success, form);
        return await browser.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value), ["username"] = username, ["password"] = password,
        }));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
