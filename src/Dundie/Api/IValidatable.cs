namespace Dundie.Api;

/// <summary>A request that checks its own fields; <see cref="ValidationFilter"/> answers 422 when it finds errors.</summary>
public interface IValidatable
{
    /// <summary>Adds an error to <paramref name="errors"/> for each field that breaks a rule.</summary>
    void Validate(FieldErrors errors);
}
