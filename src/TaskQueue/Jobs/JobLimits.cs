namespace TaskQueue.Jobs;

/// <summary>The bounds a job's numbers must fall within, on both sides of the broker: a producer refuses to write a
/// job outside them, and a worker refuses to run one (a job written by Python, a script or a person).</summary>
/// <remarks>The Lua scripts hold the same numbers (<c>MAX_SECONDS</c>, <c>MAX_RETRIES</c> in Common.lua; a test keeps
/// them in step) and fall back to defaults for a field that left the bounds while its job ran.</remarks>
public static class JobLimits
{
    /// <summary>The longest timeout, TTL or retry interval, in seconds: 100 years.</summary>
    /// <remarks>EXPIRE and .NET's timers refuse far larger numbers; <c>timeout 900000000000</c> broke a worker's timer
    /// for every later job.</remarks>
    public const long MaxSeconds = 3_153_600_000;

    /// <summary>The most retries a job may ask for.</summary>
    public const int MaxRetries = 1_000_000;

    /// <summary>The largest <c>data</c> a worker accepts, compressed or inflated, unless configured otherwise:
    /// 16 MiB. A 1 MB zlib bomb inflating to 1 GB took a worker to 5 GB of memory before this limit.</summary>
    public const int DefaultMaxDataBytes = 16 * 1024 * 1024;

    /// <summary>Whether <paramref name="seconds"/> is a timeout, TTL or interval a job may carry (-1: forever / none).</summary>
    public static bool IsValidSeconds(long seconds) => seconds is >= -1 and <= MaxSeconds;
}
