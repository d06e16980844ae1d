using System.Net;
using Dundie.Tests.Infrastructure;
using Dundie.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Dundie.Tests.Api;

public sealed class PasswordTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    private static readonly object NewPassword = new { password = "brand-new-pass", password_confirm = "brand-new-pass" };

    [Fact]
    public async Task Change_Self_NewPasswordWorks()
    {
        await api.CreateUserAsync("Holly Flax", username: "holly");
        var client = await api.LoginAsync("holly");

        var response = await client.PostJsonAsync("/user/holly/password/", NewPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await api.LoginAsync("holly", "brand-new-pass");
    }

    [Fact]
    public async Task Change_SomeoneElse_Returns403()
    {
        await api.CreateUserAsync("Jan Levinson", username: "jan");
        await api.CreateUserAsync("Karen Filippelli", username: "karen");
        var jan = await api.LoginAsync("jan");

        var response = await jan.PostJsonAsync("/user/karen/password/", NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Change_SomeoneElseAsSuperuser_Succeeds()
    {
        await api.CreateUserAsync("Roy Anderson", username: "roy");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/user/roy/password/", NewPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Change_Anonymous_Returns401()
    {
        await api.CreateUserAsync("David Wallace", username: "david");

        var response = await api.CreateClient().PostJsonAsync("/user/david/password/", NewPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Change_MismatchedConfirmation_Returns422()
    {
        await api.CreateUserAsync("Robert California", username: "robert");
        var client = await api.LoginAsync("robert");

        var response = await client.PostJsonAsync("/user/robert/password/", new { password = "abcdefgh1", password_confirm = "abcdefgh2" });

        await ValidationTests.AssertFieldError(response, "password_confirm");
    }

    [Fact]
    public async Task Change_ValidResetToken_SucceedsOnceOnly()
    {
        var user = await api.CreateUserAsync("Todd Packer", username: "todd");
        var token = await IssueTokenAsync(user);
        var anonymous = api.CreateClient();

        var first = await anonymous.PostJsonAsync($"/user/todd/password/?pwd_reset_token={token}", NewPassword);
        var second = await anonymous.PostJsonAsync($"/user/todd/password/?pwd_reset_token={token}",
            new { password = "another-pass-1", password_confirm = "another-pass-1" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        await api.LoginAsync("todd", "brand-new-pass");
    }

    [Fact]
    public async Task Change_ResetTokenOfAnotherUser_Returns403()
    {
        var bob = await api.CreateUserAsync("Bob Vance", username: "bob");
        await api.CreateUserAsync("Deangelo Vickers", username: "deangelo");
        var token = await IssueTokenAsync(bob);

        var response = await api.CreateClient().PostJsonAsync($"/user/deangelo/password/?pwd_reset_token={token}", NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Change_UnknownResetToken_Returns403()
    {
        await api.CreateUserAsync("Hank Tate", username: "hank");

        var response = await api.CreateClient().PostJsonAsync("/user/hank/password/?pwd_reset_token=made-up", NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Change_ExpiredResetToken_Returns403()
    {
        var user = await api.CreateUserAsync("Cathy Simms", username: "cathy");
        var token = await IssueTokenAsync(user);
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.DundieDb>();
            var stored = db.PasswordResetTokens.Single(t => t.UserId == user.Id);
            stored.ExpiresAt = DateTime.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        var response = await api.CreateClient().PostJsonAsync($"/user/cathy/password/?pwd_reset_token={token}", NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Issue_StoresOnlyAHashOfTheToken()
    {
        var user = await api.CreateUserAsync("Jo Bennett", username: "jo");

        var token = await IssueTokenAsync(user);

        await using var scope = api.Services.CreateAsyncScope();
        var stored = scope.ServiceProvider.GetRequiredService<Data.DundieDb>().PasswordResetTokens.Single(t => t.UserId == user.Id);
        Assert.NotEqual(token, stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash);
        Assert.InRange(stored.ExpiresAt - DateTime.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    private async Task<string> IssueTokenAsync(User user)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordResetTokens>().IssueAsync(user);
    }
}
