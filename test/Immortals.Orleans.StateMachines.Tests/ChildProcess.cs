using System.Diagnostics;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>Starts the child program (Immortals.Orleans.StateMachines.Child) with <c>dotnet</c>.</summary>
internal static class ChildProcess
{
    /// <summary>Runs the child with <paramref name="arguments"/> and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the child with extra environment variables and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The child process did not finish within 2 minutes.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Returns the child's dll, built next to this test assembly's output: test/NAME/bin/CONFIGURATION/TFM.
    /// </summary>
    private static string ChildPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var testFolder = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(
            testFolder,
            "Immortals.Orleans.StateMachines.Child",
            "bin",
            configuration,
            framework,
            "Immortals.Orleans.StateMachines.Child.dll");
        Assert.True(File.Exists(path), $"the child process is not built at {path}");
        return path;
    }
}
