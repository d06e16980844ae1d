using Dundie.Api;
using Dundie.Auth;
using Dundie.Data;
using Dundie.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TaskQueue.Queues;

namespace Dundie.Users;

/// <summary>The <c>/user</c> routes: list, read, create, edit profiles, change passwords.</summary>
public static class UserEndpoints
{
    /// <summary>The answer to every password-reset request, whether or not the address has a user.</summary>
    public const string PasswordResetAnswer = "If we found a user with that email, we sent a password reset token to it.";

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/user").WithTags("user").AddEndpointFilter<ValidationFilter>();
        group.MapGet("/", List).RequireAuthorization()
            .WithSummary("List users; show_balance=true (superusers only) adds their balances");
        group.MapGet("/{username}/", Get).RequireAuthorization().WithSummary("Read one user");
        group.MapPost("/", Create).RequireAuthorization(DundieClaims.SuperuserPolicy).WithSummary("Create a user");
        group.MapPatch("/{username}/", UpdateProfile).RequireAuthorization()
            .WithSummary("Change a user's avatar or bio (the user or a superuser)");
        group.MapPost("/pwd_reset_token/", RequestPasswordReset).AllowAnonymous()
            .RequireRateLimiting(PasswordResetLimiter.PerIpPolicy)
            .WithSummary("E-mail a password-reset link to the user with this address, if there is one");
        group.MapPost("/{username}/password/", ChangePassword).AllowAnonymous()
            .WithSummary("Change a password: as the user, as a superuser, or with a pwd_reset_token");
        return routes;
    }

    private static async Task<Results<Ok<List<UserResponse>>, ForbidHttpResult>> List(
        [AsParameters] UserListQuery query, HttpContext http, DundieDb db, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking().OrderBy(u => u.Id);
        if (!query.WantsBalance)
        {
            return TypedResults.Ok(await users.Select(u => UserResponse.From(u, null)).ToListAsync(cancellationToken));
        }
        if (!http.User.IsSuperuser())
        {
            return TypedResults.Forbid();
        }
        return TypedResults.Ok(await users
            .Select(u => UserResponse.From(u, u.Balance == null ? 0 : u.Balance.Value))
            .ToListAsync(cancellationToken));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Get(
        string username, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var user = await accounts.FindAsync(username, cancellationToken);
        return user is null ? UserNotFound() : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> Create(
        CreateUserRequest request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        try
        {
            var user = await accounts.CreateAsync(request, cancellationToken);
            return TypedResults.Created($"/user/{user.Username}/", UserResponse.From(user));
        }
        catch (UserConflictException e)
        {
            return Problems.Status(StatusCodes.Status409Conflict, e.Message);
        }
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult, ForbidHttpResult>> UpdateProfile(
        string username, UpdateProfileRequest request, HttpContext http, UserAccounts accounts, DundieDb db,
        CancellationToken cancellationToken)
    {
        var user = await accounts.FindAsync(username, cancellationToken);
        if (user is null)
        {
            return UserNotFound();
        }
        if (http.User.Username() != user.Username && !http.User.IsSuperuser())
        {
            return TypedResults.Forbid();
        }
        // An empty string clears a field; a missing one leaves it alone.
        if (request.Avatar is not null)
        {
            user.Avatar = request.Avatar.Length == 0 ? null : request.Avatar;
        }
        if (request.Bio is not null)
        {
            user.Bio = request.Bio.Length == 0 ? null : request.Bio;
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult, ForbidHttpResult, UnauthorizedHttpResult>> ChangePassword(
        string username, ChangePasswordRequest request, [FromQuery(Name = "pwd_reset_token")] string? pwdResetToken,
        HttpContext http, UserAccounts accounts, PasswordResetTokens resetTokens, DundieDb db, CancellationToken cancellationToken)
    {
        var caller = http.User.Username();
        if (caller is null && string.IsNullOrEmpty(pwdResetToken))
        {
            return TypedResults.Unauthorized();
        }
        var user = await accounts.FindAsync(username, cancellationToken);
        if (user is null)
        {
            // Without a session, do not tell a token holder which usernames exist.
            return caller is null ? InvalidResetToken() : UserNotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var allowed = caller == user.Username || http.User.IsSuperuser();
        if (!allowed)
        {
            if (string.IsNullOrEmpty(pwdResetToken))
            {
                return TypedResults.Forbid();
            }
            if (!await resetTokens.TryConsumeAsync(user, pwdResetToken, cancellationToken))
            {
                return InvalidResetToken();
            }
        }
        accounts.SetPassword(user, request.Password!);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> RequestPasswordReset(
        PasswordResetRequest request, PasswordResetLimiter limiter, TaskQueueClient queue, EmailJobs jobs,
        CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(request.Email!))
        {
            return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many password reset requests; try again later.");
        }
        // No lookup here: the answer takes the same time whether or not the address has a user. The task looks.
        await queue.Queue().EnqueueAsync(jobs.PasswordReset(request.Email!.Trim()), cancellationToken);
        return TypedResults.Ok(new MessageResponse(PasswordResetAnswer));
    }

    private static ProblemHttpResult UserNotFound() => Problems.Status(StatusCodes.Status404NotFound, "User not found");

    private static ProblemHttpResult InvalidResetToken() =>
        Problems.Status(StatusCodes.Status403Forbidden, "Invalid or expired password reset token");

    /// <summary>The query of <c>GET /user/</c>.</summary>
    public sealed record UserListQuery([property: FromQuery(Name = "show_balance")] string? ShowBalance) : IValidatable
    {
        /// <summary>True when the caller asked for balances.</summary>
        public bool WantsBalance => bool.TryParse(ShowBalance, out var value) && value;

        public void Validate(FieldErrors errors)
        {
            if (ShowBalance is not null && !bool.TryParse(ShowBalance, out _))
            {
                errors.Add("show_balance", "Must be true or false.");
            }
        }
    }

    /// <summary>A one-line answer.</summary>
    public sealed record MessageResponse(string Message);
}
