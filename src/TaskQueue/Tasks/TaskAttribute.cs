namespace TaskQueue.Tasks;

/// <summary>Marks a method as a task and gives it the stable name jobs refer to it by.</summary>
/// <remarks>
/// The name, not the CLR type, is what is stored in Redis, so renaming or moving the method does not
/// strand queued jobs, and a Python RQ producer can enqueue it by the same name.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskAttribute(string name) : Attribute
{
    /// <summary>The stable task name, e.g. <c>dundie.tasks.user.send_email</c>.</summary>
    public string Name { get; } = name;
}
