using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace TaskQueue.Dashboard.Rendering;

/// <summary>Builds an HTML page in which every value is encoded unless it is already <see cref="HtmlFragment"/>.</summary>
/// <remarks>
/// Job arguments, results, <c>exc_info</c>, meta and worker names come from Redis, where anyone who can enqueue
/// writes them: they are attacker-controlled. Pages are written with interpolated strings whose literal parts are
/// markup and whose holes are values: <see cref="HtmlHandler"/> encodes every hole (text and attribute values
/// alike, quotes included), so a value can never become markup by mistake. Markup built elsewhere passes as an
/// <see cref="HtmlFragment"/>, which only this file's builder makes.
/// </remarks>
internal sealed class Html
{
    private readonly StringBuilder text = new(4096);

    /// <summary>Appends markup with every hole encoded.</summary>
    public Html Add([InterpolatedStringHandlerArgument("")] ref HtmlHandler handler) => this;

    /// <summary>Appends text, encoded.</summary>
    public Html Text(string? value)
    {
        text.Append(HtmlEncoder.Default.Encode(value ?? ""));
        return this;
    }

    internal void AppendRaw(string markup) => text.Append(markup);

    /// <summary>A fixed piece of markup (a literal in this assembly's code, never a value).</summary>
    public static HtmlFragment Fragment([ConstantExpected] string markup) => new(markup);

    /// <summary>The markup built so far, to nest in another page part.</summary>
    public HtmlFragment ToFragment() => new(text.ToString());

    public override string ToString() => text.ToString();

    /// <summary>Markup to nest in a page part, made only by <see cref="Html"/>.</summary>
    internal readonly record struct HtmlFragment(string Markup)
    {
        public override string ToString() => Markup;
    }

    [InterpolatedStringHandler]
    internal readonly ref struct HtmlHandler
    {
        private readonly Html html;

        public HtmlHandler(int literalLength, int formattedCount, Html html) => this.html = html;

        public void AppendLiteral(string markup) => html.AppendRaw(markup);

        public void AppendFormatted(HtmlFragment fragment) => html.AppendRaw(fragment.Markup);

        public void AppendFormatted(string? value) => html.Text(value);

        public void AppendFormatted<T>(T value) => html.Text(value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        });

        public void AppendFormatted<T>(T value, string format) where T : IFormattable => html.Text(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
