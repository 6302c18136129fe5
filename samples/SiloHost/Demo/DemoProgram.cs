namespace SiloHost.Demo;

/// <summary>The demo role: the crash demo with its command-line options.</summary>
public static class DemoProgram
{
    /// <summary>Help text of the demo role.</summary>
    public static string Usage => DemoOptions.Usage;

    /// <summary>Runs the demo and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = DemoOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync(DemoOptions.Usage);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return await new DemoRun(options).RunAsync(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("The demo was cancelled.");
            return 130;
        }
    }
}
