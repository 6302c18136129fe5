namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class FlakyFieldGrain : Grain, IFlakyFieldGrain, IImmortalGrain
{
    private UnserializableHolder? _holder;

    public Task SetUnserializable(bool set)
    {
        _holder = set ? new UnserializableHolder { Value = 1 } : null;
        return Task.CompletedTask;
    }

    public Task Sleep() => SleepAsync();

    private static async Task SleepAsync() => await ImmortalTime.Delay(TimeSpan.FromHours(1));
}
