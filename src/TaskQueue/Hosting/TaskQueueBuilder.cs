using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Tasks;
using TaskQueue.Workers;

namespace TaskQueue.Hosting;

/// <summary>Registers tasks, periodic tasks and workers after <c>services.AddTaskQueue(...)</c>.</summary>
public sealed class TaskQueueBuilder
{
    internal TaskQueueBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    /// <summary>Registers every method marked <see cref="TaskAttribute"/> in <paramref name="assembly"/>.</summary>
    public TaskQueueBuilder AddTasks(Assembly assembly) => Configure(r => r.AddAssembly(assembly));

    /// <summary>Registers a delegate as the task named <paramref name="name"/>; its parameters bind like a task method's.</summary>
    public TaskQueueBuilder AddTask(string name, Delegate handler) => Configure(r => r.Add(name, handler));

    /// <summary>Enqueues <paramref name="job"/> at every tick of the cron <paramref name="expression"/> (UTC unless
    /// <paramref name="timeZone"/> says otherwise), once per tick however many schedulers run.</summary>
    public TaskQueueBuilder AddCron(string name, string expression, JobRequest job, string? queue = null, TimeZoneInfo? timeZone = null)
    {
        var entry = new CronEntry(name, expression, job, queue, timeZone);
        Services.Configure<CronScheduleOptions>(o => o.Entries.Add(entry));
        return this;
    }

    /// <summary>Enqueues the task named <paramref name="taskName"/> (no arguments) at every cron tick.</summary>
    public TaskQueueBuilder AddCron(string name, string expression, string taskName, string? queue = null) =>
        AddCron(name, expression, JobRequest.Create(taskName), queue);

    /// <summary>Runs a worker in this host (a hosted service), configured by <paramref name="configure"/>.</summary>
    public TaskQueueBuilder AddWorker(Action<WorkerOptions>? configure = null)
    {
        var options = Services.AddOptions<WorkerOptions>().BindConfigurationIfPresent(WorkerOptions.Section);
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        Services.AddHostedService<WorkerService>();
        return this;
    }

    private TaskQueueBuilder Configure(Action<TaskRegistry> registration)
    {
        Services.Configure<TaskRegistrations>(o => o.Actions.Add(registration));
        return this;
    }
}

/// <summary>The task registrations collected by the builder, applied when the registry is built.</summary>
internal sealed class TaskRegistrations
{
    public List<Action<TaskRegistry>> Actions { get; } = [];
}

internal sealed class CronScheduleOptions
{
    public List<CronEntry> Entries { get; } = [];
}
