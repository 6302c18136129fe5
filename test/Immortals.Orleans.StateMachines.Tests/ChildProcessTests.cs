using System.Diagnostics;
using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>A snapshot taken in this process is rebuilt and finished in a fresh child process.</summary>
public sealed class ChildProcessTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Theory]
    [InlineData("Release", "nested", 2)]
    [InlineData("Debug", "values", 1)]
    [InlineData("Release", "await-in-handlers", 2)]
    public async Task Child_process_finishes_captured_run(string build, string scenario, int step)
    {
        var straight = fixture.Driver.RunStraight(build, scenario);
        var checkpoint = fixture.Driver.RunAndCapture(build, scenario, step)!;
        var file = Path.Combine(Path.GetTempPath(), $"immortals-frames-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(file, fixture.Driver.Save(checkpoint));
        try
        {
            var (exitCode, output, error) = await RunChildAsync(file);

            Assert.True(exitCode == 0, $"the child process exited with {exitCode}: {error}");
            Assert.Equal(straight.Describe(), output.TrimEnd('\n', '\r'));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunChildAsync(string checkpointFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildPath());
        start.ArgumentList.Add(checkpointFile);

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
