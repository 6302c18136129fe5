using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>Retries a client call while the client still tries to reach the gateway of a killed silo.</summary>
internal static class ClientRetry
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Calls <paramref name="call"/> until it succeeds or fails with other than a connection error.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (
                exception is OrleansException or SiloUnavailableException or TimeoutException && watch.Elapsed < Limit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
