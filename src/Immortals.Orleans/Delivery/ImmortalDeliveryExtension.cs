using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Delivery;

/// <summary>
/// The delivery extension of one grain activation. On an immortal grain it hands every message to the activation's
/// <see cref="ImmortalActivation"/>. On any other grain it rejects deliveries, which only immortal grains receive.
/// </summary>
internal sealed class ImmortalDeliveryExtension(IGrainContext context) : IImmortalDeliveryExtension
{
    public Task<DeliveryReply> DeliverRequest(
        GrainId caller,
        Guid callerIncarnation,
        long sequence,
        long doneBelow,
        byte[] request) =>
        Activation.DeliverRequestAsync(caller, callerIncarnation, sequence, doneBelow, request);

    public Task<DeliveryStatus> DeliverResult(GrainId callee, Guid callerIncarnation, long sequence, byte[] outcome) =>
        Task.FromResult(Activation.ReceiveResult(callee, callerIncarnation, sequence, outcome));

    public Task Acknowledge(GrainId caller, Guid callerIncarnation, long[] sequences, long doneBelow)
    {
        Activation.ReceiveAcknowledgement(caller, callerIncarnation, sequences, doneBelow);
        return Task.CompletedTask;
    }

    public Task<bool> Wake() => Task.FromResult(Activation.HasExternalWork());

    private ImmortalActivation Activation => context.GetComponent<ImmortalActivation>()
        ?? throw new InvalidOperationException(
            $"Grain {context.GrainId} is not an immortal grain; deliveries go only to grains that implement "
            + $"{nameof(IImmortalGrain)}.");
}
