namespace Immortals.Orleans.Waits;

/// <summary>
/// Finds the durable waits of the immortal grain method running on the current flow. The runtime installs the
/// lookup when a silo with immortal grains starts, because this assembly does not reference the runtime.
/// </summary>
internal static class ImmortalWaitsAccessor
{
    private static Func<IImmortalWaits?>? s_lookup;

    /// <summary>Installs the lookup of the current activation. Every silo of a process installs the same one.</summary>
    public static void Install(Func<IImmortalWaits?> lookup) => Volatile.Write(ref s_lookup, lookup);

    /// <summary>
    /// Returns the waits of the current immortal grain method, or throws when <paramref name="apiName"/> was called
    /// elsewhere.
    /// </summary>
    public static IImmortalWaits Current(string apiName)
    {
        var lookup = Volatile.Read(ref s_lookup);
        if (lookup?.Invoke() is { } waits)
        {
            return waits;
        }

        var noSilo = lookup is null ? " No silo of this process has called AddImmortals." : "";
        throw new InvalidOperationException(
            $"{apiName} was called outside a method of an immortal grain. It can be awaited only in a grain method "
            + $"of a class that implements {nameof(IImmortalGrain)}, on the grain's scheduler: not in "
            + "OnActivateAsync, grain timers, Task.Run or code after ConfigureAwait(false), and not in clients or "
            + "ordinary grains." + noSilo);
    }
}
