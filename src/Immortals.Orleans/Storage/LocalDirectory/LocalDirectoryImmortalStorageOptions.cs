namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>Options of a checkpoint store that keeps one file per grain checkpoint in a local directory.</summary>
public sealed class LocalDirectoryImmortalStorageOptions
{
    /// <summary>
    /// Directory of the checkpoint files, created at silo start-up. Silos on one machine may share it: writes
    /// take a lock file per checkpoint.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// Maximum time a write waits for the lock file of a checkpoint that another writer has locked.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Silo lifecycle stage at which the directory is created.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}
