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
            var (exitCode, output, error) = await ChildProcess.RunAsync(file);

            Assert.True(exitCode == 0, $"the child process exited with {exitCode}: {error}");
            Assert.Equal(straight.Describe(), output.TrimEnd('\n', '\r'));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
