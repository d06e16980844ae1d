using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;
using TaskQueue.Tasks;

namespace TaskQueue.Tests.Tasks;

public sealed class ArgumentBinderTests
{
    public sealed class Clock;

    private static readonly ServiceProvider Services = new ServiceCollection().AddSingleton<Clock>().BuildServiceProvider();

    private static object?[] Bind(Delegate handler, string args, string kwargs = "{}")
    {
        var registry = new TaskRegistry().Add("t", handler);
        registry.TryGet("t", out var task);
        var call = JobData.Parse(System.Text.Encoding.UTF8.GetBytes($"[\"t\", null, {args}, {kwargs}]"));
        var context = new JobContext("id", "default", "t", "w", 0, [], CancellationToken.None);
        return ArgumentBinder.Bind(task, call, context, Services, JsonSerializerOptions.Default);
    }

    [Fact]
    public void Bind_PositionalKeywordServiceTokenAndDefault_AllFilled()
    {
        var values = Bind((string email, Clock clock, int count, CancellationToken token, string mode = "fast") => 0, """["a@b.c"]""", """{"count": 3}""");

        Assert.Equal("a@b.c", values[0]);
        Assert.IsType<Clock>(values[1]);
        Assert.Equal(3, values[2]);
        Assert.Equal(CancellationToken.None, values[3]);
        Assert.Equal("fast", values[4]);
    }

    [Fact]
    public void Bind_PythonSnakeCaseKeyword_BindsCamelCaseParameter()
    {
        var values = Bind((string pwdResetToken) => 0, "[]", """{"pwd_reset_token": "abc"}""");
        Assert.Equal("abc", values[0]);
    }

    [Fact]
    public void Bind_ValueSentForEveryParameterIncludingAService_ServiceComesFromTheScope()
    {
        // An expression enqueue, () => T.Run(7, null!, 2), writes a value for every parameter but CancellationToken
        // and JobContext: the worker supplies the service and drops the value sent in its place.
        var values = Bind((int x, Clock clock, int y) => 0, "[7, null, 2]");

        Assert.Equal(7, values[0]);
        Assert.IsType<Clock>(values[1]);
        Assert.Equal(2, values[2]);
    }

    [Theory]
    [InlineData("[1, 2]", "{}", "takes 1 argument(s) but 2 positional")]
    [InlineData("[]", "{}", "missing argument 'x'")]
    [InlineData("[]", """{"z": 1}""", "no parameter named 'z'")]
    [InlineData("[1]", """{"x": 1}""", "two values for 'x'")]
    [InlineData("""["seven"]""", "{}", "cannot convert \"seven\" to Int32")]
    public void Bind_ArgumentsThatDoNotFit_ReadableError(string args, string kwargs, string message)
    {
        var error = Assert.Throws<TaskArgumentException>(() => Bind((int x) => x, args, kwargs));
        Assert.Contains(message, error.Message);
    }
}
