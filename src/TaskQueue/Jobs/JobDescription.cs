using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TaskQueue.Jobs;

/// <summary>Describes a call the way RQ does, as Python would print it: <c>dundie.tasks.user.send_email(email='a@b.c')</c>.</summary>
public static class JobDescription
{
    /// <summary>Longer descriptions are cut here: they are for people, and every byte is kept in Redis.</summary>
    public const int MaxLength = 512;

    public static string Of(JobCall call)
    {
        var text = new StringBuilder(call.TaskName).Append('(');
        var first = true;
        foreach (var arg in call.Args)
        {
            if (!first) text.Append(", ");
            first = false;
            AppendRepr(text, arg);
        }
        foreach (var (name, value) in call.Kwargs)
        {
            if (!first) text.Append(", ");
            first = false;
            text.Append(name).Append('=');
            AppendRepr(text, value);
        }
        text.Append(')');
        return text.Length <= MaxLength ? text.ToString() : text.ToString(0, MaxLength - 3) + "...";
    }

    private static void AppendRepr(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                AppendString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("True");
                break;
            case JsonValueKind.False:
                text.Append("False");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (i++ > 0) text.Append(", ");
                    AppendRepr(text, item);
                }
                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var j = 0;
                foreach (var property in value.EnumerateObject())
                {
                    if (j++ > 0) text.Append(", ");
                    AppendString(text, property.Name);
                    text.Append(": ");
                    AppendRepr(text, property.Value);
                }
                text.Append('}');
                break;
            default:
                text.Append("None");
                break;
        }
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': text.Append("\\'"); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('\'');
    }
}
