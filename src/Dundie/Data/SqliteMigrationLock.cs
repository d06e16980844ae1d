using Microsoft.Data.Sqlite;

namespace Dundie.Data;

/// <summary>Lets one Dundie process at a time migrate a SQLite database, and clears the lock row EF Core leaves behind
/// when a process dies mid-migration.</summary>
/// <remarks>
/// EF Core guards migrations on SQLite with a row in <c>__EFMigrationsLock</c> that it deletes when done. A process
/// killed in between leaves the row, and every later start waits for it forever: EF has no timeout or staleness check
/// for it, and SQLite no session-scoped lock (PostgreSQL's advisory lock, which EF uses there, ends with the session).
/// This class adds an OS file lock beside the database, which the kernel releases when its holder dies. Dundie
/// migrates only while holding it, so a lock row found by the holder was left by a dead process and can go. A tool
/// that migrates without it (<c>dotnet ef database update</c>) must not run while Dundie starts.
/// </remarks>
internal sealed class SqliteMigrationLock : IAsyncDisposable
{
    /// <summary>EF Core's lock table on SQLite.</summary>
    private const string EfLockTable = "__EFMigrationsLock";

    /// <summary>How long to wait for another process's migration before giving up with an error.</summary>
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(2);

    private readonly FileStream file;

    private SqliteMigrationLock(FileStream file) => this.file = file;

    /// <summary>The lock file of a database file.</summary>
    public static string LockFile(string databaseFile) => databaseFile + "-migrations.lock";

    /// <summary>Waits until no other process migrates <paramref name="databaseFile"/>, and holds that until disposed.</summary>
    /// <exception cref="TimeoutException">Another process has been migrating for longer than two minutes.</exception>
    public static async Task<SqliteMigrationLock> AcquireAsync(string databaseFile, CancellationToken cancellationToken = default)
    {
        var path = LockFile(databaseFile);
        var deadline = DateTime.UtcNow + WaitLimit;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows: both die with the process.
                return new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException(
                        $"Another process has been migrating {databaseFile} for over {WaitLimit.TotalMinutes:0} minutes (it holds {path}).", e);
                }
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
    }

    /// <summary>Deletes EF Core's lock row, which only a dead process can have left while this lock is held.</summary>
    /// <returns>True when there was one.</returns>
    public async Task<bool> ClearStaleEfLockAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{EfLockTable}'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            return false;
        }
        command.CommandText = $"DELETE FROM \"{EfLockTable}\"";
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public ValueTask DisposeAsync() => file.DisposeAsync();
}
