namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>The immortal workflow of the benchmarks.</summary>
public sealed class StepWorkflowGrain : Grain, IStepWorkflowGrain, IImmortalGrain
{
    /// <inheritdoc />
    public async Task<int> Run(string counterKey, int steps)
    {
        var counter = GrainFactory.GetGrain<IStepCounterGrain>(counterKey);
        var sum = 0;
        for (var step = 1; step <= steps; step++)
        {
            sum += await counter.Add(1);
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<int> RunAfterPark(string counterKey, int steps, string parkKey)
    {
        var counter = GrainFactory.GetGrain<IStepCounterGrain>(counterKey);
        var sum = await counter.Add(0);
        await GrainFactory.GetGrain<IParkGrain>(parkKey).Wait(this.GetPrimaryKeyString());
        for (var step = 1; step <= steps; step++)
        {
            sum += await counter.Add(1);
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<int> Park(string parkKey)
    {
        await GrainFactory.GetGrain<IParkGrain>(parkKey).Wait(this.GetPrimaryKeyString());
        return 1;
    }

    /// <inheritdoc />
    public async Task<int> FanOut(string counterPrefix, int calls)
    {
        var pending = Enumerable.Range(0, calls)
            .Select(i => GrainFactory.GetGrain<IStepCounterGrain>($"{counterPrefix}-{i}").Add(1))
            .ToArray();
        var counts = await Task.WhenAll(pending);
        return counts.Sum();
    }
}
