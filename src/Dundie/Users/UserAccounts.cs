using Dundie.Data;
using Dundie.Transactions;
using Microsoft.EntityFrameworkCore;

namespace Dundie.Users;

/// <summary>Creates, finds and authenticates users; the one place that writes a user row.</summary>
public sealed class UserAccounts(DundieDb db, PasswordHasher hasher, TimeProvider time)
{
    /// <summary>Normalizes an e-mail address the way it is stored: trimmed, lower-case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Creates a user with a zero balance.</summary>
    /// <param name="request">A request that passed <see cref="CreateUserRequest.Validate"/>.</param>
    /// <param name="cancellationToken">Cancels the database calls.</param>
    /// <exception cref="UserConflictException">The username or the e-mail is taken.</exception>
    public async Task<User> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        var username = request.Username ?? Usernames.FromName(request.Name!);
        var email = NormalizeEmail(request.Email!);
        if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken))
        {
            throw new UserConflictException("Username already taken");
        }
        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            throw new UserConflictException("Email already registered");
        }
        var user = new User
        {
            Name = request.Name!.Trim(),
            Email = email,
            Username = username,
            Dept = request.Dept!.Trim(),
            Avatar = request.Avatar,
            Bio = request.Bio,
            Currency = request.Currency ?? "USD",
            PasswordHash = hasher.Hash(request.Password!),
            Balance = new Balance { UpdatedAt = time.GetUtcNow().UtcDateTime },
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone took the name between the check and the insert; the unique indexes kept them apart.
            db.ChangeTracker.Clear();
            throw new UserConflictException("Username already taken");
        }
        return user;
    }

    /// <summary>Finds a user by username, or null.</summary>
    public Task<User?> FindAsync(string username, CancellationToken cancellationToken = default) =>
        db.Users.SingleOrDefaultAsync(u => u.Username == username, cancellationToken);

    /// <summary>Finds a user by e-mail address (any case), or null.</summary>
    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeEmail(email);
        return db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
    }

    /// <summary>Returns the user whose username and password match, or null.</summary>
    public async Task<User?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(username, cancellationToken);
        return hasher.Verify(password, user?.PasswordHash) ? user : null;
    }

    /// <summary>Replaces a user's password hash (saved by the caller's <c>SaveChangesAsync</c>).</summary>
    public void SetPassword(User user, string password) => user.PasswordHash = hasher.Hash(password);
}
