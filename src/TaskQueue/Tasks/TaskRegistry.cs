using System.Reflection;

namespace TaskQueue.Tasks;

/// <summary>The tasks a worker may run, by stable name. A job naming anything else fails with a clear error.</summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, TaskDescriptor> tasks = new(StringComparer.Ordinal);

    public TaskRegistry() => BuiltInTasks.AddTo(this);

    /// <summary>The registered tasks.</summary>
    public IReadOnlyCollection<TaskDescriptor> All => tasks.Values;

    /// <summary>Registers a delegate (a lambda or a method group) under <paramref name="name"/>.</summary>
    public TaskRegistry Add(string name, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        // A lambda that captures nothing still has a closure object as target; it is harmless to keep.
        return Add(new TaskDescriptor(name, handler.Method, handler.Method.IsStatic ? null : handler.Target));
    }

    /// <summary>Registers a method carrying <see cref="TaskAttribute"/>; instance methods are resolved from DI per job.</summary>
    public TaskRegistry Add(MethodInfo method) => Add(new TaskDescriptor(TaskCall.NameOf(method), method, null));

    /// <summary>Registers every method marked with <see cref="TaskAttribute"/> in <paramref name="assembly"/>.</summary>
    public TaskRegistry AddAssembly(Assembly assembly)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(flags))
            {
                if (method.IsDefined(typeof(TaskAttribute), inherit: false)) Add(method);
            }
        }
        return this;
    }

    /// <summary>Finds a task by name.</summary>
    public bool TryGet(string name, out TaskDescriptor descriptor) => tasks.TryGetValue(name, out descriptor!);

    private TaskRegistry Add(TaskDescriptor descriptor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(descriptor.Name);
        if (tasks.TryGetValue(descriptor.Name, out var existing))
        {
            if (existing.Method == descriptor.Method) return this;
            throw new InvalidOperationException(
                $"Task name '{descriptor.Name}' is taken by {Describe(existing)}; {Describe(descriptor)} needs another name.");
        }
        tasks.Add(descriptor.Name, descriptor);
        return this;
    }

    private static string Describe(TaskDescriptor d) => $"{d.Method.DeclaringType?.FullName}.{d.Method.Name}";
}
