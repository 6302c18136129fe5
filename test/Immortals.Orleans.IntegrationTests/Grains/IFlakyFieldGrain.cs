using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain whose field can hold a value that Orleans cannot serialize, which fails its captures.</summary>
public interface IFlakyFieldGrain : IGrainWithStringKey
{
    /// <summary>Sets or clears the field that cannot be serialized.</summary>
    [AlwaysInterleave]
    Task SetUnserializable(bool set);

    /// <summary>Waits durably for one hour.</summary>
    Task Sleep();
}
