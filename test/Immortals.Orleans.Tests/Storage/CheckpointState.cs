namespace Immortals.Orleans.Tests.Storage;

/// <summary>Grain state shaped like a checkpoint: mostly one large byte array.</summary>
[GenerateSerializer]
[Alias("Immortals.Orleans.Tests.Storage.CheckpointState")]
public sealed class CheckpointState
{
    [Id(0)]
    public byte[] Data { get; set; } = [];

    [Id(1)]
    public int Version { get; set; }

    /// <summary>Creates a state with <paramref name="size"/> pseudo-random bytes derived from the seed.</summary>
    public static CheckpointState Create(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return new CheckpointState { Data = data, Version = seed };
    }
}
