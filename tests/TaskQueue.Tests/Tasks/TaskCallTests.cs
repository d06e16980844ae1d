using TaskQueue.Jobs;
using TaskQueue.Tasks;

namespace TaskQueue.Tests.Tasks;

public sealed class TaskCallTests
{
    public sealed class Mailer
    {
        [Task("tests.mailer.send")]
        public Task Send(string email, string text, CancellationToken cancellationToken) => Task.CompletedTask;

        public static string Untagged() => "";
    }

    [Task("tests.static")]
    public static int Static(int a, JobContext context, string b = "x") => a;

    [Fact]
    public void From_StaticCallWithLocals_NameAndEvaluatedArgsWithoutSuppliedParameters()
    {
        var a = 41;
        var request = JobRequest.From(() => Static(a + 1, null!, "y"));

        Assert.Equal("tests.static", request.TaskName);
        Assert.Equal([42, "y"], request.Args);
    }

    [Fact]
    public void From_ServiceCall_SkipsCancellationToken()
    {
        var email = "a@b.c";
        var request = JobRequest.From<Mailer>(m => m.Send(email, "hi", default));

        Assert.Equal("tests.mailer.send", request.TaskName);
        Assert.Equal(["a@b.c", "hi"], request.Args);
    }

    [Fact]
    public void From_CapturedInstance_Rejected()
    {
        var mailer = new Mailer();
        var error = Assert.Throws<ArgumentException>(() => JobRequest.From(() => mailer.Send("a", "b", default)));
        Assert.Contains("captured instance", error.Message);
    }

    [Fact]
    public void From_MethodWithoutTaskAttribute_Rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => JobRequest.From(() => Mailer.Untagged()));
        Assert.Contains("[Task(", error.Message);
    }

    [Fact]
    public void From_ArgumentUsingTheService_Rejected()
    {
        Assert.Throws<ArgumentException>(() => JobRequest.From<Mailer>(m => m.Send(m.ToString()!, "b", default)));
    }
}
