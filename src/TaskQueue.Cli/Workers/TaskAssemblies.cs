using System.Reflection;
using System.Runtime.Loader;

namespace TaskQueue.Cli.Workers;

/// <summary>Loads the assemblies named by <c>taskq worker --assembly</c>, whose <c>[Task]</c> methods the worker runs.</summary>
/// <remarks>
/// Each assembly gets its own load context, so its private dependencies (from its <c>.deps.json</c> or its
/// folder) do not clash with the CLI's. Whatever the CLI already has (TaskQueue itself, Microsoft.Extensions.*)
/// is shared from the default context: there must be one <c>TaskAttribute</c> type, or no task would be found.
/// </remarks>
internal static class TaskAssemblies
{
    /// <summary>Loads the assembly at <paramref name="path"/>.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="CommandFailedException">It is not a .NET assembly, or its types cannot be loaded.</exception>
    public static Assembly Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new UsageException($"--assembly: no file at '{path}'.");
        try
        {
            var context = new TaskLoadContext(fullPath);
            var assembly = context.LoadFromAssemblyPath(fullPath);
            // Surface a missing dependency now, as one clear line, rather than as a failure in the worker's host.
            _ = assembly.GetTypes();
            return assembly;
        }
        catch (BadImageFormatException)
        {
            throw new CommandFailedException($"--assembly: '{path}' is not a .NET assembly.");
        }
        catch (ReflectionTypeLoadException e)
        {
            var reason = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            throw new CommandFailedException($"--assembly: cannot load the types of '{path}': {reason}");
        }
        catch (FileLoadException e)
        {
            throw new CommandFailedException($"--assembly: cannot load '{path}': {e.Message}");
        }
    }

    private sealed class TaskLoadContext(string mainPath) : AssemblyLoadContext($"taskq tasks: {Path.GetFileName(mainPath)}")
    {
        private readonly AssemblyDependencyResolver resolver = new(mainPath);
        private readonly string folder = Path.GetDirectoryName(mainPath)!;

        protected override Assembly? Load(AssemblyName name)
        {
            if (IsShared(name)) return null;
            var path = resolver.ResolveAssemblyToPath(name) ?? Probe(name);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        /// <summary>True when the CLI itself can load <paramref name="name"/>: then the default context's copy is used.</summary>
        private static bool IsShared(AssemblyName name)
        {
            try
            {
                Default.LoadFromAssemblyName(name);
                return true;
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException)
            {
                return false;
            }
        }

        /// <summary>An assembly without a <c>.deps.json</c> entry, next to the task assembly.</summary>
        private string? Probe(AssemblyName name)
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }
    }
}
