using System.Net;
using System.Text.Json;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class UserTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task List_AnyUser_ShowsProfilesWithoutBalanceOrEmail()
    {
        await api.CreateUserAsync("Dwight Schrute", username: "dwight-list");
        var client = await api.LoginAsync("dwight-list");

        var users = await (await client.GetAsync("/user/")).ReadJsonAsync();

        var dwight = users.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "dwight-list");
        Assert.Equal("Dwight Schrute", dwight.GetProperty("name").GetString());
        Assert.Equal("USD", dwight.GetProperty("currency").GetString());
        Assert.False(dwight.TryGetProperty("balance", out _));
        Assert.False(dwight.TryGetProperty("email", out _));
        Assert.False(dwight.TryGetProperty("password_hash", out _));
    }

    [Fact]
    public async Task List_ShowBalanceAsSuperuser_IncludesBalances()
    {
        await api.CreateUserAsync("Angela Martin", username: "angela-balance");
        await api.GiveFromAdminAsync("angela-balance", 42);
        var admin = await api.LoginAsAdminAsync();

        var users = await (await admin.GetAsync("/user/?show_balance=true")).ReadJsonAsync();

        var angela = users.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "angela-balance");
        Assert.Equal(42, angela.GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task List_ShowBalanceAsRegularUser_Returns403()
    {
        await api.CreateUserAsync("Kevin Malone", username: "kevin-balance");
        var client = await api.LoginAsync("kevin-balance");

        var response = await client.GetAsync("/user/?show_balance=true");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task List_ShowBalanceNotABoolean_Returns422()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.GetAsync("/user/?show_balance=maybe");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("show_balance", out _));
    }

    [Fact]
    public async Task Get_ExistingUser_ReturnsProfile()
    {
        await api.CreateUserAsync("Oscar Martinez", dept: "accounting", username: "oscar-get");
        var client = await api.LoginAsync("oscar-get");

        var response = await client.GetAsync("/user/oscar-get/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("accounting", (await response.ReadJsonAsync()).GetProperty("dept").GetString());
    }

    [Fact]
    public async Task Get_UnknownUser_Returns404()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.GetAsync("/user/no-such-user/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("User not found", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_AsSuperuser_Returns201AndDerivesUsername()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/user/", new
        {
            name = "Michael Scott",
            email = "Michael@DM.com",
            dept = "management",
            password = "worlds-best-boss",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/user/michael-scott/", response.Headers.Location!.OriginalString);
        var body = await response.ReadJsonAsync();
        Assert.Equal("michael-scott", body.GetProperty("username").GetString());
        // The new user can log in with the password given.
        await api.LoginAsync("michael-scott", "worlds-best-boss");
    }

    [Fact]
    public async Task Create_TakenUsername_Returns409()
    {
        await api.CreateUserAsync("Stanley Hudson", username: "stanley");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/user/", new
        {
            name = "Stanley Other",
            email = "stanley.other@dm.com",
            dept = "sales",
            password = "pretzel-day-1",
            username = "stanley",
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Username already taken", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_TakenEmailInOtherCase_Returns409()
    {
        await api.CreateUserAsync("Phyllis Vance", email: "phyllis@dm.com");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/user/", new
        {
            name = "Phyllis Lapin",
            email = "PHYLLIS@dm.com",
            dept = "sales",
            password = "knitting-123",
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Create_AsRegularUser_Returns403()
    {
        await api.CreateUserAsync("Ryan Howard", username: "ryan-create");
        var client = await api.LoginAsync("ryan-create");

        var response = await client.PostJsonAsync("/user/", new
        {
            name = "Someone New",
            email = "new@dm.com",
            dept = "sales",
            password = "password-123",
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_InvalidFields_Returns422WithEachField()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/user/", new
        {
            name = "",
            email = "not-an-email",
            password = "short",
            currency = "dollars",
            username = "has spaces",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "name", "email", "dept", "password", "currency", "username" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Patch_Self_UpdatesAvatarAndBio()
    {
        await api.CreateUserAsync("Creed Bratton", username: "creed");
        var client = await api.LoginAsync("creed");

        var response = await client.PatchAsync("/user/creed/", JsonContent(new { avatar = "https://example.com/creed.png", bio = "Quality assurance" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await (await client.GetAsync("/user/creed/")).ReadJsonAsync();
        Assert.Equal("Quality assurance", profile.GetProperty("bio").GetString());
        Assert.Equal("https://example.com/creed.png", profile.GetProperty("avatar").GetString());
    }

    [Fact]
    public async Task Patch_OnlyBio_LeavesAvatarAlone()
    {
        await api.CreateUserAsync("Meredith Palmer", username: "meredith");
        var client = await api.LoginAsync("meredith");
        await client.PatchAsync("/user/meredith/", JsonContent(new { avatar = "a.png" }));

        await client.PatchAsync("/user/meredith/", JsonContent(new { bio = "Supplier relations" }));

        var profile = await (await client.GetAsync("/user/meredith/")).ReadJsonAsync();
        Assert.Equal("a.png", profile.GetProperty("avatar").GetString());
    }

    [Fact]
    public async Task Patch_SomeoneElse_Returns403()
    {
        await api.CreateUserAsync("Toby Flenderson", username: "toby");
        await api.CreateUserAsync("Kelly Kapoor", username: "kelly");
        var toby = await api.LoginAsync("toby");

        var response = await toby.PatchAsync("/user/kelly/", JsonContent(new { bio = "hacked" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Patch_SomeoneElseAsSuperuser_Succeeds()
    {
        await api.CreateUserAsync("Erin Hannon", username: "erin");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PatchAsync("/user/erin/", JsonContent(new { bio = "Receptionist" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Patch_EmptyBody_Returns422()
    {
        await api.CreateUserAsync("Gabe Lewis", username: "gabe");
        var client = await api.LoginAsync("gabe");

        var response = await client.PatchAsync("/user/gabe/", JsonContent(new { }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Patch_UnknownUser_Returns404()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PatchAsync("/user/ghost/", JsonContent(new { bio = "boo" }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Json.Options), System.Text.Encoding.UTF8, "application/json");
}
