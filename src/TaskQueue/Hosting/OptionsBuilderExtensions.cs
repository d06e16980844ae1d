using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TaskQueue.Hosting;

internal static class OptionsBuilderExtensions
{
    /// <summary>Binds the options from <paramref name="section"/> when the container has a configuration (a host
    /// does; a bare <see cref="ServiceCollection"/> in a tool or test does not).</summary>
    public static OptionsBuilder<T> BindConfigurationIfPresent<T>(this OptionsBuilder<T> builder, string section) where T : class =>
        builder.Configure<IServiceProvider>((options, services) => services.GetService<IConfiguration>()?.GetSection(section).Bind(options));
}
