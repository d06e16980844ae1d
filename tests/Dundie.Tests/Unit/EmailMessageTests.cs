using Dundie.Email;

namespace Dundie.Tests.Unit;

public sealed class EmailMessageTests
{
    [Fact]
    public void FromText_CourseStyleHeaders_TakesSubjectAndBody()
    {
        var message = EmailMessage.FromText("a@b.c", "From: Dundie <x@y.z>\nTo: a@b.c\nSubject: Password reset for Dundie\n\nHello\nthere\n");

        Assert.Equal("Password reset for Dundie", message.Subject);
        Assert.Equal("Hello\nthere", message.Body);
        Assert.Equal("a@b.c", message.To);
    }

    [Fact]
    public void FromText_PlainText_KeepsAllAsBodyWithDefaultSubject()
    {
        var message = EmailMessage.FromText("a@b.c", "Hello: this is not a header line\nbecause no blank line follows");

        Assert.Equal(EmailMessage.DefaultSubject, message.Subject);
        Assert.StartsWith("Hello: this is not", message.Body);
    }

    [Fact]
    public void FromText_OnlySubjectHeader_NoBody()
    {
        var message = EmailMessage.FromText("a@b.c", "Subject: Ping");

        Assert.Equal("Ping", message.Subject);
        Assert.Equal("", message.Body);
    }
}
