namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// The benchmark program started as a separate worker process: it runs a <see cref="DtfxWorker"/>, prints
/// <c>ready</c> once the worker has started, and stops when its standard input closes.
/// </summary>
internal static class DtfxWorkerRole
{
    /// <summary>First command-line argument that selects this role.</summary>
    public const string RoleName = "dtfx-worker";

    /// <summary>Line printed once the worker has started.</summary>
    public const string ReadyLine = "ready";

    /// <summary>
    /// Runs the worker. Arguments: connection string, task hub name, profile name, worker id, step log path.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 5)
        {
            await Console.Error.WriteLineAsync(
                $"usage: Immortals.Orleans.Benchmarks {RoleName} CONNECTION_STRING TASK_HUB PROFILE WORKER_ID STEP_LOG");
            return 2;
        }

        var (connectionString, taskHub, profile, workerId, stepLog) = (args[0], args[1], args[2], args[3], args[4]);
        var settings = DtfxProfile.Parse(profile).CreateSettings(connectionString, taskHub, workerId);
        await using var worker = await DtfxWorker.StartAsync(settings, stepLog);
        Console.WriteLine(ReadyLine);

        // The benchmark closes standard input to stop the worker, or kills the process to simulate a crash.
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }
}
