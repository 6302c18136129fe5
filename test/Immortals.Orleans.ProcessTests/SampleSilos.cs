using System.Reflection;
using Immortals.Orleans.Testing;
using SiloHost.Demo;

namespace Immortals.Orleans.ProcessTests;

/// <summary>Finds the sample silo executable built with the same configuration as the tests.</summary>
internal static class SampleSilos
{
    /// <summary>Returns the command that starts <c>samples/SiloHost</c> through <c>dotnet</c>.</summary>
    public static SiloCommand Command()
    {
        var attribute = typeof(SampleSilos).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>();
        var configuration = attribute?.Configuration ?? "Debug";
        var path = Path.Combine(
            AzuriteProcess.FindRepositoryRoot(),
            "samples",
            "SiloHost",
            "bin",
            configuration,
            "net10.0",
            "SiloHost.dll");
        return SiloCommand.ForAssembly(path);
    }
}
