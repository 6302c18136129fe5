using Immortals.Orleans.Checkpointing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Immortals.Orleans.Tests.Checkpointing;

/// <summary>The compact record of expired request ids: lookups, forgetting by time, and its stored size.</summary>
public sealed class ExpiredRequestIdsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Added_id_is_found_and_others_are_not()
    {
        var ids = new ExpiredRequestIds();

        ids.Add("order-42", Start, TimeSpan.FromDays(30));

        Assert.True(ids.Contains("order-42"));
        Assert.False(ids.Contains("order-43"));
        Assert.Equal(1, ids.Count);
    }

    [Fact]
    public void Id_is_forgotten_after_retention_plus_one_eighth()
    {
        var retention = TimeSpan.FromDays(8);
        var ids = new ExpiredRequestIds();
        ids.Add("order-42", Start, retention);

        var kept = ids.Forget(Start + retention - TimeSpan.FromSeconds(1));
        var stillKept = ids.Contains("order-42");
        var dropped = ids.Forget(Start + retention + TimeSpan.FromDays(1));

        Assert.Equal(0, kept);
        Assert.True(stillKept);
        Assert.Equal(1, dropped);
        Assert.False(ids.Contains("order-42"));
        Assert.Empty(ids.Buckets);
    }

    [Fact]
    public void Infinite_retention_never_forgets()
    {
        var ids = new ExpiredRequestIds();
        ids.Add("order-42", Start, Timeout.InfiniteTimeSpan);

        var dropped = ids.Forget(DateTimeOffset.MaxValue.AddTicks(-1));

        Assert.Equal(0, dropped);
        Assert.True(ids.Contains("order-42"));
    }

    [Fact]
    public void Ids_share_buckets_by_forget_time()
    {
        var retention = TimeSpan.FromDays(8);
        var ids = new ExpiredRequestIds();

        for (var i = 0; i < 1000; i++)
        {
            ids.Add($"order-{i}", Start + TimeSpan.FromMinutes(i), retention);
        }

        ids.Add("order-1", Start, retention);

        Assert.Equal(1000, ids.Count);
        Assert.Single(ids.Buckets);
    }

    [Fact]
    public void Stored_form_costs_eight_bytes_per_id()
    {
        using var services = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(ExpiredRequestIds).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var small = new ExpiredRequestIds();
        small.Add("order-0", Start, TimeSpan.FromDays(8));
        var large = new ExpiredRequestIds();
        large.Add("order-known", Start, TimeSpan.FromDays(8));
        for (var i = 1; i < 10_000; i++)
        {
            large.Add($"order-{i}-{Guid.NewGuid()}", Start, TimeSpan.FromDays(8));
        }

        var smallBytes = serializer.SerializeToArray(small);
        var largeBytes = serializer.SerializeToArray(large);
        var restored = serializer.Deserialize<ExpiredRequestIds>(largeBytes)!;

        var perId = (largeBytes.Length - smallBytes.Length) / 9_999.0;
        Assert.InRange(perId, 8.0, 8.1);
        Assert.Equal(10_000, restored.Count);
        Assert.True(restored.Contains("order-known"));
        Assert.False(restored.Contains("order-unknown"));
        Assert.Equal(large.Buckets[0].Ids, restored.Buckets[0].Ids);
    }
}
