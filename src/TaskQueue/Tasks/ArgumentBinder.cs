using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;

namespace TaskQueue.Tasks;

/// <summary>Binds a job's JSON arguments to a task method's parameters.</summary>
/// <remarks>
/// Positional arguments fill parameters in order, keyword arguments by name (exact, else ignoring case and
/// underscores, so Python's <c>pwd_reset_token=</c> binds <c>pwdResetToken</c>). Parameters of type
/// <see cref="CancellationToken"/> and <see cref="JobContext"/> come from the worker, and parameters whose type
/// is a registered DI service come from the job's scope; a value sent in a service's place by an expression enqueue
/// is dropped.
/// </remarks>
internal static class ArgumentBinder
{
    public static object?[] Bind(TaskDescriptor task, JobCall call, JobContext context, IServiceProvider services, JsonSerializerOptions json)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        var parameters = task.Parameters;
        var values = new object?[parameters.Length];
        var bound = new bool[parameters.Length];
        var isServiceParameter = new bool[parameters.Length];
        var serviceCount = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            if (!TaskParameters.IsSupplied(type) && isService?.IsService(type) == true)
            {
                isServiceParameter[i] = true;
                serviceCount++;
            }
        }
        // An expression enqueue (() => T.Run(7, null!)) writes a value for every parameter but CancellationToken and
        // JobContext, services included, since the producer cannot know what the worker's container holds. Exactly
        // that many positional values means such a call: the values in the services' places are dropped. A call by
        // name sends none for them, and more values than the other parameters would not bind anyway.
        var skipServiceSlots = serviceCount > 0 && call.Args.Count == CountArguments(parameters);
        var positional = 0;

        for (var i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            if (type == typeof(CancellationToken)) { values[i] = context.CancellationToken; bound[i] = true; }
            else if (type == typeof(JobContext)) { values[i] = context; bound[i] = true; }
            else if (isServiceParameter[i])
            {
                values[i] = services.GetRequiredService(type);
                bound[i] = true;
                if (skipServiceSlots) positional++;
            }
            else if (positional < call.Args.Count)
            {
                values[i] = Convert(call.Args[positional++], parameters[i], json);
                bound[i] = true;
            }
        }
        if (positional < call.Args.Count)
        {
            throw new TaskArgumentException($"{task.Signature} takes {CountArguments(parameters)} argument(s) but {call.Args.Count} positional were given.");
        }

        foreach (var (name, value) in call.Kwargs)
        {
            var index = Find(parameters, name);
            if (index < 0)
            {
                throw new TaskArgumentException($"{task.Signature} has no parameter named '{name}'.");
            }
            if (bound[index])
            {
                throw new TaskArgumentException($"{task.Signature} got two values for '{parameters[index].Name}'.");
            }
            values[index] = Convert(value, parameters[index], json);
            bound[index] = true;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (bound[i]) continue;
            var parameter = parameters[i];
            if (parameter.HasDefaultValue) values[i] = parameter.DefaultValue;
            else throw new TaskArgumentException($"{task.Signature} is missing argument '{parameter.Name}'.");
        }
        return values;
    }

    private static object? Convert(JsonElement value, ParameterInfo parameter, JsonSerializerOptions json)
    {
        try
        {
            return value.Deserialize(parameter.ParameterType, json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            var shown = value.GetRawText();
            if (shown.Length > 80) shown = shown[..77] + "...";
            throw new TaskArgumentException($"Argument '{parameter.Name}': cannot convert {shown} to {parameter.ParameterType.Name}.", e);
        }
    }

    private static int Find(ParameterInfo[] parameters, string name)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == name && !TaskParameters.IsSupplied(parameters[i].ParameterType)) return i;
        }
        var wanted = Normalize(name);
        for (var i = 0; i < parameters.Length; i++)
        {
            if (Normalize(parameters[i].Name!) == wanted && !TaskParameters.IsSupplied(parameters[i].ParameterType)) return i;
        }
        return -1;
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static int CountArguments(ParameterInfo[] parameters) => parameters.Count(p => !TaskParameters.IsSupplied(p.ParameterType));
}

/// <summary>A job's arguments do not fit its task's parameters.</summary>
public sealed class TaskArgumentException(string message, Exception? inner = null) : Exception(message, inner);
