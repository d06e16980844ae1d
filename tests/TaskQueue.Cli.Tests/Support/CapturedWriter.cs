using System.Text;

namespace TaskQueue.Cli.Tests.Support;

/// <summary>A text writer a test can read while a command is still writing to it (broker, info --interval).</summary>
internal sealed class CapturedWriter : TextWriter
{
    private readonly StringBuilder text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (text) return text.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (text) text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (text) text.Append(value);
    }
}
