using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Roots;

/// <summary>
/// The request extension of one grain activation. On an immortal grain it hands status lookups and cancel requests
/// to the activation's <see cref="ImmortalActivation"/>. On any other grain it rejects them.
/// </summary>
internal sealed class ImmortalRequestExtension(IGrainContext context) : IImmortalRequestExtension
{
    public Task<ImmortalRequestStatus> GetStatus(string requestId) => Activation.GetRequestStatusAsync(requestId);

    public Task<ImmortalRequestStatus> Cancel(string requestId) => Activation.CancelRequestAsync(requestId);

    private ImmortalActivation Activation => context.GetComponent<ImmortalActivation>()
        ?? throw new InvalidOperationException(
            $"Grain {context.GrainId} is not an immortal grain; request ids, status and cancellation apply only to "
            + $"grains that implement {nameof(IImmortalGrain)}.");
}
