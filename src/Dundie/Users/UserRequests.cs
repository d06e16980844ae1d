using System.Net.Mail;
using Dundie.Api;

namespace Dundie.Users;

/// <summary>A new user, from <c>POST /user/</c> or <c>dundie create-user</c>.</summary>
public sealed record CreateUserRequest(
    string? Name,
    string? Email,
    string? Dept,
    string? Password,
    string? Username = null,
    string? Avatar = null,
    string? Bio = null,
    string? Currency = null) : IValidatable
{
    public void Validate(FieldErrors errors)
    {
        if (errors.Require("name", Name))
        {
            errors.MaxLength("name", Name, 100);
            if (Username is null && Usernames.FromName(Name!).Length == 0)
            {
                errors.Add("name", "Cannot derive a username from this name; give a username.");
            }
        }
        if (errors.Require("email", Email) && !IsEmail(Email!))
        {
            errors.Add("email", "Not a valid e-mail address.");
        }
        if (errors.Require("dept", Dept))
        {
            errors.MaxLength("dept", Dept, 50);
        }
        PasswordRules.Check(errors, "password", Password);
        if (Username is not null && !Usernames.IsValid(Username))
        {
            errors.Add("username", $"Use up to {Usernames.MaxLength} letters, digits, '.', '_' or '-'.");
        }
        errors.MaxLength("avatar", Avatar, 500);
        errors.MaxLength("bio", Bio, 1000);
        if (Currency is not null && (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add("currency", "A three-letter code such as USD.");
        }
    }

    private static bool IsEmail(string value) =>
        value.Length <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value.Trim();
}

/// <summary>Profile changes from <c>PATCH /user/{username}/</c>; an absent field is left as it is.</summary>
public sealed record UpdateProfileRequest(string? Avatar, string? Bio) : IValidatable
{
    public void Validate(FieldErrors errors)
    {
        if (Avatar is null && Bio is null)
        {
            errors.Add("avatar", "Give avatar, bio or both.");
        }
        errors.MaxLength("avatar", Avatar, 500);
        errors.MaxLength("bio", Bio, 1000);
    }
}

/// <summary>A new password from <c>POST /user/{username}/password/</c>.</summary>
public sealed record ChangePasswordRequest(string? Password, string? PasswordConfirm) : IValidatable
{
    public void Validate(FieldErrors errors)
    {
        PasswordRules.Check(errors, "password", Password);
        if (errors.Require("password_confirm", PasswordConfirm) && Password is not null && Password != PasswordConfirm)
        {
            errors.Add("password_confirm", "Passwords do not match.");
        }
    }
}

/// <summary>The body of <c>POST /user/pwd_reset_token/</c>.</summary>
public sealed record PasswordResetRequest(string? Email) : IValidatable
{
    public void Validate(FieldErrors errors)
    {
        if (errors.Require("email", Email))
        {
            errors.MaxLength("email", Email, 254);
        }
    }
}

/// <summary>A user as the API shows it; <c>balance</c> only when a superuser asked for it.</summary>
public sealed record UserResponse(
    string Name,
    string Username,
    string Dept,
    string? Avatar,
    string? Bio,
    string Currency,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    long? Balance = null)
{
    public static UserResponse From(User user, long? balance = null) =>
        new(user.Name, user.Username, user.Dept, user.Avatar, user.Bio, user.Currency, balance);
}
