using System.Text;
using Dundie.Api;

namespace Dundie.Users;

/// <summary>What a new password must look like.</summary>
public static class PasswordRules
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 8;

    // bcrypt ignores everything past 72 bytes: refuse longer passwords rather than silently truncate them.
    private const int MaxBytes = 72;

    /// <summary>Adds an error for <paramref name="field"/> when the password is missing, too short or too long.</summary>
    public static void Check(FieldErrors errors, string field, string? password)
    {
        if (!errors.Require(field, password))
        {
            return;
        }
        if (password!.Length < MinLength)
        {
            errors.Add(field, $"At least {MinLength} characters.");
        }
        else if (Encoding.UTF8.GetByteCount(password) > MaxBytes)
        {
            errors.Add(field, $"At most {MaxBytes} bytes.");
        }
    }
}
