using System.Reflection;

namespace TaskQueue.Tasks;

/// <summary>A registered task: its name and the method that runs it.</summary>
public sealed class TaskDescriptor
{
    internal TaskDescriptor(string name, MethodInfo method, object? target)
    {
        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException($"Task '{name}': generic methods cannot be tasks.");
        }
        Name = name;
        Method = method;
        Target = target;
        Parameters = method.GetParameters();
        Result = TaskResultShape.Of(method.ReturnType);
    }

    /// <summary>The stable name jobs use.</summary>
    public string Name { get; }

    public MethodInfo Method { get; }

    /// <summary>The delegate target for tasks registered as delegates; null for static and DI-resolved methods.</summary>
    internal object? Target { get; }

    /// <summary>True when each job resolves the declaring type from its DI scope.</summary>
    internal bool NeedsInstance => !Method.IsStatic && Target is null;

    internal ParameterInfo[] Parameters { get; }

    internal TaskResultShape Result { get; }

    /// <summary>A synchronous run longer than this sends the task's next runs to pool threads of their own.</summary>
    private static readonly TimeSpan SlowRun = TimeSpan.FromMilliseconds(1);

    /// <summary>How many more runs of this synchronous task go to a pool thread of their own (see <see cref="RunsInline"/>).</summary>
    private int dispatchedRuns;

    /// <summary>True while this synchronous task has been fast: its jobs then run on the thread that starts their batch.</summary>
    /// <remarks>
    /// A pool task per job cost a thread wake-up per job, the largest share of a small job's cost. A task that ran
    /// slow once goes back to pool tasks for its next 16 runs, so a slow task does not hold up the jobs queued
    /// behind it in a batch (and Worker's stall check covers the slow run of a task that used to be fast).
    /// </remarks>
    internal bool RunsInline => Volatile.Read(ref dispatchedRuns) <= 0;

    /// <summary>Records how long a synchronous run took.</summary>
    internal void RecordSyncRun(TimeSpan elapsed)
    {
        if (elapsed > SlowRun) Volatile.Write(ref dispatchedRuns, 16);
        else if (Volatile.Read(ref dispatchedRuns) > 0) Interlocked.Decrement(ref dispatchedRuns);
    }

    /// <summary>The signature for messages, e.g. <c>send_email(string email, string message)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Parameters.Where(p => !TaskParameters.IsSupplied(p.ParameterType)).Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
}
