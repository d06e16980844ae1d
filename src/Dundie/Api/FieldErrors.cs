namespace Dundie.Api;

/// <summary>Validation errors by field name (as the field is spelled in JSON), collected before answering 422.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public FieldErrors(DateTimeOffset now) => Now = now;

    /// <summary>The current time, for rules such as "in the future".</summary>
    public DateTimeOffset Now { get; }

    /// <summary>True when no error was added.</summary>
    public bool IsEmpty => errors.Count == 0;

    /// <summary>Records an error against a field.</summary>
    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Records "Field required." when the value is null or blank; returns whether the value was present.</summary>
    public bool Require(string field, object? value)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s))
        {
            Add(field, "Field required.");
            return false;
        }
        return true;
    }

    /// <summary>Records an error when a present string is longer than the limit.</summary>
    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"At most {max} characters.");
        }
    }

    /// <summary>The errors in the shape of <see cref="Microsoft.AspNetCore.Http.HttpValidationProblemDetails.Errors"/>.</summary>
    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>One line per error, for the command line.</summary>
    public override string ToString() =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
}
