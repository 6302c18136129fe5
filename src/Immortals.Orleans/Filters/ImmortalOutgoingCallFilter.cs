using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Filters;

/// <summary>
/// Intercepts the calls that the grain methods of an immortal grain make to user grain interfaces and turns them
/// into recorded calls: nothing is sent until a stored checkpoint contains the call. Every other call passes through.
/// </summary>
/// <remarks>
/// Orleans 10.4.2 has no outgoing filter per calling grain, so this silo-wide filter receives every call that leaves
/// any grain of the silo. For a call made outside an immortal grain method, it reads one <c>AsyncLocal</c> and hands
/// the call on, without an async state machine or an allocation of its own.
/// </remarks>
internal sealed class ImmortalOutgoingCallFilter : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        var activation = ImmortalActivation.CurrentRoot;
        if (activation is null
            || ImmortalActivation.IsPluginSend
            || !ReferenceEquals(context.SourceContext, activation.Context)
            || !CallInterception.IsRecordedCall(context.TargetId, context.Request.GetInterfaceType()))
        {
            // NOTE: a call that grain code makes off the activation's scheduler (after ConfigureAwait(false) or in
            // Task.Run) has no source context and leaves as a plain call, also when it runs again after recovery.
            return context.Invoke();
        }

        return activation.InterceptAsync(context);
    }
}
