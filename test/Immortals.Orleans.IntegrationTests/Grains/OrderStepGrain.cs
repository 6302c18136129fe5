namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class OrderStepGrain : Grain, IOrderStepGrain, IImmortalGrain
{
    public async Task<int> Perform(string journalKey, string entry, bool fail)
    {
        if (fail)
        {
            throw new InvalidOperationException($"{entry} failed");
        }

        return await GrainFactory.GetGrain<IJournalGrain>(journalKey).Append(entry);
    }
}
