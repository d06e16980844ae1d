using Dundie.Email;
using Dundie.Settings;
using Dundie.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dundie.Tests.Email;

public sealed class EmailLogSenderTests
{
    [Fact]
    public async Task Send_ConcurrentMessages_AppendsEachWholeToTheLog()
    {
        using var folder = new TempFolder();
        var log = Path.Combine(folder.Path, "nested", "email.log");
        var sender = new EmailLogSender(Options.Create(new EmailOptions { LogFile = log, SmtpSender = "dundie@dm.com" }), TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => sender.SendAsync(new EmailMessage($"u{i}@dm.com", $"Subject {i}", $"Body {i}"))));

        var text = await File.ReadAllTextAsync(log);
        var entries = text.Split("--- END OF EMAIL ---", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.Contains("--- START EMAIL")).ToList();
        Assert.Equal(20, entries.Count);
        foreach (var i in Enumerable.Range(0, 20))
        {
            var entry = Assert.Single(entries, e => e.Contains($"To: u{i}@dm.com\n"));
            Assert.Contains($"Subject: Subject {i}\n", entry);
            Assert.Contains($"Body {i}", entry);
            Assert.Contains("From: dundie@dm.com", entry);
        }
    }
}
