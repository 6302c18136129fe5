using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;

namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>
/// Keeps one file per grain checkpoint in a local directory, for silos that run without Azure.
/// </summary>
/// <remarks>
/// A write takes the checkpoint's lock file (<see cref="CheckpointFileLock"/>), compares the ETag in the current
/// file's header, writes a temporary file, flushes it to disk, renames it over the checkpoint and flushes the
/// directory. Readers take no lock: a rename replaces the file atomically, so they see the old or the new file.
/// The file's ETag is also the write id in its envelope, and the envelope carries a checksum of the grain state.
/// NOTE: a crash between creating and renaming the temporary file leaves <c>*.tmp</c> files behind; they are
/// never read and can be deleted when no silo writes. Lock files (<c>*.lock</c>) stay after use on purpose,
/// because deleting a lock file while another process waits on it would split the lock.
/// </remarks>
internal sealed class LocalDirectoryCheckpointStorage : BinaryCheckpointStorage
{
    /// <summary>Kind of this store in messages, logs and metrics.</summary>
    public const string StoreKind = "local directory";

    // Linux file names have at most 255 bytes; a temporary file adds ".{32 hex digits}.tmp" to the name.
    private const int MaxNameLength = 200;

    private readonly LocalDirectoryImmortalStorageOptions _options;
    private readonly string _directory;
    private readonly TimeProvider _timeProvider;

    public LocalDirectoryCheckpointStorage(
        string name,
        string serviceId,
        LocalDirectoryImmortalStorageOptions options,
        CheckpointSerializer serializer,
        IActivatorProvider activators,
        ILogger<LocalDirectoryCheckpointStorage> logger,
        TimeProvider timeProvider)
        : base(name, StoreKind, serviceId, serializer, activators, logger, timeProvider)
    {
        _options = options;
        _directory = System.IO.Path.GetFullPath(options.Path!);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    protected override int InitStage => _options.InitStage;

    /// <inheritdoc />
    public override Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        Logger.StorageInitialized(Kind, Name, $"directory {_directory}");
        return Task.CompletedTask;
    }

    /// <summary>Returns the path of a checkpoint's file.</summary>
    internal string GetFilePath(CheckpointIdentity identity) =>
        System.IO.Path.Combine(_directory, identity.ToName(MaxNameLength) + ".ckpt");

    /// <inheritdoc />
    protected override async Task<StoredCheckpoint?> ReadPayloadAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        var path = GetFilePath(identity);
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var place = $"file {path}";
        if (!CheckpointFileFormat.TryReadHeader(content, out var eTag, out var problem))
        {
            throw Corrupt(identity, $"{problem} ({place})", null);
        }

        CheckpointEnvelope envelope;
        try
        {
            envelope = Serializer.Deserialize<CheckpointEnvelope>(content.AsMemory(CheckpointFileFormat.HeaderLength));
        }
        catch (Exception exception)
        {
            throw Corrupt(identity, $"{place} does not contain a checkpoint record", exception);
        }

        return new StoredCheckpoint(Open(identity, envelope, place), eTag);
    }

    /// <inheritdoc />
    protected override async Task<string> WritePayloadAsync(
        CheckpointIdentity identity,
        byte[] payload,
        string? eTag,
        CancellationToken cancellationToken)
    {
        var path = GetFilePath(identity);
        var newETag = Guid.NewGuid();
        var content = CheckpointFileFormat.Compose(newETag, Serializer.Serialize(Seal(identity, payload, newETag, 0)));

        using (await LockAsync(identity, path, cancellationToken))
        {
            CheckStoredETag(identity, path, eTag, "write");

            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var stream = new FileStream(
                    temporary,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    bufferSize: 1))
                {
                    await stream.WriteAsync(content, cancellationToken);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            // NOTE: if this flush fails, the write is reported as failed although the new file is in place, so the
            // next write with the old ETag conflicts and the grain reloads. Success would promise a durable rename.
            DirectorySync.Flush(_directory);
        }

        return newETag.ToString("N");
    }

    /// <inheritdoc />
    protected override async Task ClearPayloadAsync(
        CheckpointIdentity identity,
        string? eTag,
        CancellationToken cancellationToken)
    {
        var path = GetFilePath(identity);
        using (await LockAsync(identity, path, cancellationToken))
        {
            CheckStoredETag(identity, path, eTag, "clear");
            if (eTag is null)
            {
                return;
            }

            File.Delete(path);
            DirectorySync.Flush(_directory);
        }
    }

    private async Task<CheckpointFileLock> LockAsync(
        CheckpointIdentity identity,
        string path,
        CancellationToken cancellationToken)
    {
        var lockPath = System.IO.Path.ChangeExtension(path, ".lock");
        var started = _timeProvider.GetTimestamp();
        var fileLock = await CheckpointFileLock.TryAcquireAsync(
            lockPath,
            _options.LockTimeout,
            _timeProvider,
            cancellationToken);
        if (fileLock is null)
        {
            throw new CheckpointStorageException(
                Name,
                Kind,
                identity.GrainId,
                isCorrupt: false,
                $"Timed out after {_options.LockTimeout} waiting for lock file {lockPath} of grain " +
                $"{identity.GrainId} in {Kind} storage '{Name}'. Another process has it locked: check for a silo that " +
                "is stuck while writing this checkpoint, or raise LockTimeout.",
                null);
        }

        var waited = _timeProvider.GetElapsedTime(started);
        if (waited > _options.LockTimeout / 2)
        {
            Logger.LockWaitedLong((long)waited.TotalMilliseconds, lockPath, identity.GrainId, Kind, Name);
        }

        return fileLock;
    }

    // A file whose header cannot be read has no ETag a writer could present, so every write or clear of it is a
    // conflict and the file stays as it is.
    private void CheckStoredETag(CheckpointIdentity identity, string path, string? expected, string operation)
    {
        var (exists, readable, stored) = ReadStoredETag(path);
        if (!exists && expected is null)
        {
            return;
        }

        if (!exists || !readable || !string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw Conflict(identity, operation, expected, exists ? (readable ? stored : "unreadable") : "none", null);
        }
    }

    private static (bool Exists, bool Readable, string ETag) ReadStoredETag(string path)
    {
        Span<byte> header = stackalloc byte[CheckpointFileFormat.HeaderLength];
        int read;
        try
        {
            using var stream = new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (FileNotFoundException)
        {
            return (false, false, "");
        }

        var readable = CheckpointFileFormat.TryReadHeader(header[..read], out var eTag, out _);
        return (true, readable, eTag);
    }
}
