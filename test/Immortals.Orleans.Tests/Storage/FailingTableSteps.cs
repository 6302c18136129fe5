using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureTable;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>Where <see cref="FailingTableSteps"/> stops a write, as a silo crash would.</summary>
public enum CrashPoint
{
    BeforeUpload,
    AfterUpload,
    BeforeReplace,
    AfterReplace,
    BeforeDelete,
}

/// <summary>The failure that <see cref="FailingTableSteps"/> raises in place of a crash.</summary>
public sealed class SimulatedCrashException(CrashPoint point) : Exception($"Simulated crash at {point}.");

/// <summary>
/// Passes the write steps to the real Azure steps, except that it throws at one chosen point. Nothing after the
/// throw runs, as after a crash of the silo.
/// </summary>
internal sealed class FailingTableSteps(ITableCheckpointSteps inner, CrashPoint crashPoint) : ITableCheckpointSteps
{
    public List<CrashPoint> Reached { get; } = [];

    public Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken) =>
        inner.ReadEntryAsync(identity, cancellationToken);

    public Task<(CheckpointEnvelope? Envelope, string? ETag)> ReadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CancellationToken cancellationToken) =>
        inner.ReadSpillAsync(identity, spillId, cancellationToken);

    public Task DeleteEntryAsync(CheckpointIdentity identity, string entityETag, CancellationToken cancellationToken) =>
        inner.DeleteEntryAsync(identity, entityETag, cancellationToken);

    public async Task<string> UploadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken)
    {
        Pass(CrashPoint.BeforeUpload);
        var eTag = await inner.UploadSpillAsync(identity, spillId, envelope, cancellationToken);
        Pass(CrashPoint.AfterUpload);
        return eTag;
    }

    public async Task<string> ReplaceEntryAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? entityETag,
        CancellationToken cancellationToken)
    {
        Pass(CrashPoint.BeforeReplace);
        var eTag = await inner.ReplaceEntryAsync(identity, entry, entityETag, cancellationToken);
        Pass(CrashPoint.AfterReplace);
        return eTag;
    }

    public Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken)
    {
        Pass(CrashPoint.BeforeDelete);
        return inner.DeleteSpillAsync(identity, spillId, spillETag, cancellationToken);
    }

    private void Pass(CrashPoint point)
    {
        Reached.Add(point);
        if (point == crashPoint)
        {
            throw new SimulatedCrashException(point);
        }
    }
}
