using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SiloHost.Diagnostics;

namespace SiloHost.Hosting;

/// <summary>The silo role: one Orleans silo on the .NET Generic Host, running until it is stopped.</summary>
public static class SiloProgram
{
    /// <summary>Runs the silo and returns the process exit code.</summary>
    /// <param name="args">Command-line options, see <see cref="SampleCommandLine.Usage"/>.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(args, SampleCommandLine.SwitchMappings.ToDictionary());

        var section = builder.Configuration.GetSection(SampleSettings.SectionName);
        var settings = section.Get<SampleSettings>() ?? new SampleSettings();
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error);
            }

            await Console.Error.WriteLineAsync(SampleCommandLine.Usage);
            return 2;
        }

        builder.Services.Configure<SampleSettings>(section);
        builder.Services.AddSingleton<OrderBoard>();
        builder.Services.AddSingleton<PluginMeterListener>();
        builder.Services.AddHostedService<SiloReportWriter>();
        builder.Services.AddHostedService<ParentProcessWatcher>();
        builder.UseOrleans(silo => SiloConfiguration.Configure(silo, settings, builder.Configuration));

        using var host = builder.Build();

        // Created before the silo starts, so that it counts from the first checkpoint on.
        host.Services.GetRequiredService<PluginMeterListener>();
        await host.RunAsync();
        return 0;
    }
}
