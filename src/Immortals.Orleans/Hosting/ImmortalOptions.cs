namespace Immortals.Orleans.Hosting;

/// <summary>Options of immortal grains, set through <see cref="ImmortalSiloBuilderExtensions.AddImmortals"/>.</summary>
public sealed class ImmortalOptions
{
    /// <summary>Name of the storage provider of the embedded local-directory store used when no store is named.</summary>
    public const string DefaultStorageName = "immortals-local";

    /// <summary>
    /// Service key of a <see cref="TimeProvider"/> that durable delays and signal retention use instead of the silo's
    /// unkeyed one. A keyed provider leaves Orleans' own timers (membership probes, grain collection) and the plugin's
    /// back-offs, resends and sweeps on the unkeyed provider, so a test can drive delays with a simulated clock.
    /// </summary>
    public const string TimeProviderServiceKey = "immortals";

    /// <summary>
    /// Name of the Orleans grain storage provider (<c>IGrainStorage</c>) that keeps checkpoints, for example one
    /// added with <c>AddAzureTableImmortalStorage</c>. When <see langword="null"/>, checkpoints go to a local
    /// directory store named <see cref="DefaultStorageName"/> in <see cref="DefaultDirectory"/>.
    /// </summary>
    public string? StorageName { get; set; }

    /// <summary>Directory of the embedded store when <see cref="StorageName"/> is not set.</summary>
    public string DefaultDirectory { get; set; } =
        Path.Combine(Environment.CurrentDirectory, "immortal-checkpoints");

    /// <summary>
    /// First delay before a call without a result is delivered again, doubled after every attempt up to
    /// <see cref="MaxResendDelay"/>. Deliveries are also sent again at once when a silo is declared dead.
    /// </summary>
    public TimeSpan ResendDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest delay between two deliveries of a call without a result.</summary>
    public TimeSpan MaxResendDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the result of a method run under an external request id is kept. After it, the id reads as expired
    /// and a call with it is rejected with <see cref="ImmortalRequestExpiredException"/>, until
    /// <see cref="ExpiredRequestIdRetention"/> has passed. Cancel requests for ids not yet admitted are kept as
    /// long as results.
    /// </summary>
    public TimeSpan RequestResultRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long an expired request id is remembered after the checkpoint write that dropped its result (up to an
    /// eighth longer), at 8 bytes per id in every checkpoint write of the grain. After it, the id is unknown and a call with it runs the method again.
    /// <see cref="Timeout.InfiniteTimeSpan"/> remembers expired ids for good.
    /// </summary>
    public TimeSpan ExpiredRequestIdRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a signal delivered to an immortal grain is kept in its checkpoint after a method first received its
    /// value. A signal that no method received yet is kept until one does. Within this period a repeat of the signal
    /// is checked against the stored value. Afterwards the id is forgotten.
    /// </summary>
    public TimeSpan SignalRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Largest number of signals one grain keeps; a delivery beyond it is rejected.</summary>
    public int MaxSignalsPerGrain { get; set; } = 1000;

    /// <summary>Largest serialized size of a signal's value, in bytes; a larger value is rejected.</summary>
    public int MaxSignalBytes { get; set; } = 64 * 1024;

    /// <summary>First delay before a failed checkpoint write is retried, doubled up to one minute.</summary>
    public TimeSpan StorageRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Time a recovering activation may spend reading, fencing and rebuilding its checkpoint. It must stay below
    /// Orleans' activation timeout (30 seconds by default), which cancels the activation.
    /// </summary>
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Number of records of the wake-up registry. Grains are spread over them by a hash of their id, and every
    /// registration rewrites its whole record (about 80 bytes per registered grain). Raise it when records would
    /// list more than a few thousand grains each. Lower it only while no grain is registered, because the sweep
    /// reads only the records below the new number.
    /// </summary>
    public int RegistryShards { get; set; } = 16;

    /// <summary>Period of the registry sweep that wakes registered grains and removes finished ones.</summary>
    public TimeSpan RegistrySweepPeriod { get; set; } = TimeSpan.FromMinutes(10);
}
