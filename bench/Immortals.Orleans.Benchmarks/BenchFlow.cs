namespace Immortals.Orleans.Benchmarks;

/// <summary>The owner of the benchmark chain: a recursive async method with a few locals per frame.</summary>
internal sealed class BenchFlow
{
    /// <summary>Suspends <paramref name="depth"/> nested frames on <paramref name="leaf"/>.</summary>
    public async Task<int> ChainAsync(int depth, Task<int> leaf, string name, decimal amount, Guid key, Sample sample)
    {
        var count = depth * 3;
        var label = name + depth;
        var total = amount + depth;
        var result = depth == 1 ? await leaf : await ChainAsync(depth - 1, leaf, name, amount, key, sample);
        return result + count + label.Length + (int)total + key.GetHashCode() + sample.Value;
    }
}
