using Microsoft.CodeAnalysis;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// Methods compiled as runtime-implemented async (.NET 10 preview feature) have no state machine and must be
/// reported. The runtime loads such methods only with <c>DOTNET_RuntimeAsync=1</c>, so they run in a child process.
/// </summary>
public sealed class RuntimeAsyncTests
{
    private const string Source = """
        using System.Threading.Tasks;
        namespace Flows;
        public static class RuntimeFlow
        {
            public static async Task<int> RunAsync(Task<int> call) => await call + 1;
        }
        """;

    [Fact]
    public async Task Runtime_async_task_is_rejected()
    {
        var file = Path.Combine(Path.GetTempPath(), $"immortals-runtime-async-{Guid.NewGuid():N}.dll");
        await File.WriteAllBytesAsync(file, WorkflowCompiler.CompileToImage("RuntimeFlows", Source, OptimizationLevel.Release, "runtime-async"));
        try
        {
            var (exitCode, output, error) = await ChildProcess.RunAsync(
                new Dictionary<string, string> { ["DOTNET_RuntimeAsync"] = "1" },
                "--runtime-async",
                file);

            Assert.True(exitCode == 0, $"the child process exited with {exitCode}: {error}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("capture: NoCompilerStateMachine: Cannot capture root 1: it is the task of a method the runtime ran as runtime-implemented async", lines[0]);
            Assert.StartsWith("method: NoCompilerStateMachine: Flows.RuntimeFlow.RunAsync is compiled as runtime-implemented async", lines[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
