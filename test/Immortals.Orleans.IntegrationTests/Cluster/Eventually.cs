namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>Waits for a condition that other silos bring about, with a bound.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        T value = default!;
        Exception? last = null;
        while (watch.Elapsed < limit)
        {
            try
            {
                value = await read();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception exception)
            {
                last = exception;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The condition was not met in time; last value: {value}", last);
    }
}
