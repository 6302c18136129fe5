using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Waits;

/// <summary>
/// The signal extension of one grain activation. On an immortal grain it hands signals to the activation's
/// <see cref="ImmortalActivation"/>. On any other grain it rejects them.
/// </summary>
internal sealed class ImmortalSignalExtension(IGrainContext context) : IImmortalSignalExtension
{
    public Task DeliverSignal(string signalId, object? value)
    {
        var activation = context.GetComponent<ImmortalActivation>()
            ?? throw new InvalidOperationException(
                $"Grain {context.GrainId} is not an immortal grain; signals go only to grains that implement "
                + $"{nameof(IImmortalGrain)}.");
        return activation.DeliverSignalAsync(signalId, value);
    }
}
