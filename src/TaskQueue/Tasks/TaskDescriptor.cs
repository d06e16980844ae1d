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
        Isolation = method.GetCustomAttribute<TaskAttribute>()?.Isolation ?? TaskIsolation.None;
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

    /// <summary>Where its jobs run when the worker runs jobs in its own process (from <see cref="TaskAttribute.Isolation"/>).</summary>
    public TaskIsolation Isolation { get; }

    /// <summary>The signature for messages, e.g. <c>send_email(string email, string message)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Parameters.Where(p => !TaskParameters.IsSupplied(p.ParameterType)).Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
}
