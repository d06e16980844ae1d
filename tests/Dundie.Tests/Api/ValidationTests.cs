using System.Net;
using System.Text;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

/// <summary>Bad input anywhere is a 422 with field errors, never a 500.</summary>
public sealed class ValidationTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task Body_MalformedJson_Returns422ForBody()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/transaction/admin/", Raw("{\"value\": 10,"));

        await AssertFieldError(response, "body");
    }

    [Fact]
    public async Task Body_WrongType_Returns422ForThatField()
    {
        await api.CreateUserAsync("Darryl Philbin", username: "darryl");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/transaction/darryl/", Raw("{\"value\": \"ten\"}"));

        await AssertFieldError(response, "value");
    }

    [Fact]
    public async Task Body_NumberTooLarge_Returns422ForThatField()
    {
        await api.CreateUserAsync("Nate Nickerson", username: "nate");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/transaction/nate/", Raw("{\"value\": 99999999999}"));

        await AssertFieldError(response, "value");
    }

    [Fact]
    public async Task Body_BadDate_Returns422ForThatField()
    {
        await api.CreateUserAsync("Clark Green", username: "clark");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/transaction/clark/", Raw("{\"value\": 5, \"at\": \"next tuesday\"}"));

        await AssertFieldError(response, "at");
    }

    [Fact]
    public async Task Body_Missing_Returns422()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/user/", Raw(""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Body_JsonArrayInsteadOfObject_Returns422()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/user/", Raw("[1, 2, 3]"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Body_NullLiteral_Returns422()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/user/", Raw("null"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Errors_AreProblemDetails()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostAsync("/user/", Raw("{}"));

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
    }

    internal static async Task AssertFieldError(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), body);
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");
}
