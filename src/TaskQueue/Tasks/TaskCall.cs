using System.Linq.Expressions;
using System.Reflection;

namespace TaskQueue.Tasks;

/// <summary>A task name and argument values read from a call expression such as <c>() => Tasks.Send(email)</c>.</summary>
internal sealed record TaskCall(string TaskName, object?[] Args)
{
    /// <summary>Reads a call to a static <c>[Task]</c> method.</summary>
    public static TaskCall Parse(LambdaExpression lambda)
    {
        if (lambda.Body is not MethodCallExpression call)
        {
            throw new ArgumentException($"Expected a method call such as () => MyTasks.Send(x), got '{lambda.Body}'.", nameof(lambda));
        }

        var service = lambda.Parameters.Count == 1 ? lambda.Parameters[0] : null;
        if (call.Object is not null && call.Object != service)
        {
            // The instance is not what runs later: the worker resolves its own from DI.
            throw new ArgumentException(
                $"'{call.Method.Name}' is called on a captured instance. Enqueue a static method, or a DI service with " +
                $"EnqueueAsync<TService>(s => s.{call.Method.Name}(...)).", nameof(lambda));
        }
        if (service is not null && call.Object is null)
        {
            throw new ArgumentException($"'{call.Method.Name}' is static; use EnqueueAsync(() => ...) for static tasks.", nameof(lambda));
        }

        var name = NameOf(call.Method);
        var parameters = call.Method.GetParameters();
        var args = new List<object?>(parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            if (TaskParameters.IsSupplied(parameters[i].ParameterType)) continue;
            args.Add(Evaluate(call.Arguments[i], service, parameters[i].Name));
        }
        return new TaskCall(name, [.. args]);
    }

    /// <summary>The stable name of a task method, from its <see cref="TaskAttribute"/>.</summary>
    public static string NameOf(MethodInfo method) =>
        method.GetCustomAttribute<TaskAttribute>()?.Name
        ?? throw new ArgumentException(
            $"{method.DeclaringType?.Name}.{method.Name} has no [Task(\"...\")] attribute; give it a stable name to enqueue it.");

    private static object? Evaluate(Expression argument, ParameterExpression? service, string? parameterName)
    {
        switch (argument)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Expression: ConstantExpression closure, Member: FieldInfo field }:
                return field.GetValue(closure.Value);
        }
        if (service is not null && new ParameterFinder(service).Finds(argument))
        {
            throw new ArgumentException($"Argument '{parameterName}' uses the service instance; arguments must be values.");
        }
        return Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)();
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        private bool found;

        public bool Finds(Expression expression)
        {
            Visit(expression);
            return found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            found |= node == parameter;
            return node;
        }
    }
}
