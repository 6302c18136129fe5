using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks;

/// <summary>Stop and kill steps shared by the benchmark's child processes (silos and DTFx workers).</summary>
internal static class ChildProcess
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Kills the process tree with SIGKILL, as a crash would, and waits for it to exit.</summary>
    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Stops the process by closing its standard input, kills it if it has not exited within 30 s, and disposes it.
    /// </summary>
    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync(process);
            }
        }

        process.Dispose();
    }
}
