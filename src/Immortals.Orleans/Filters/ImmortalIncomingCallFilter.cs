using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Filters;

/// <summary>
/// Runs plain Orleans requests to immortal grains (from clients and ordinary grains) as roots, and takes the
/// caller's request id out of <see cref="RequestContext"/> before any grain method runs, so it never reaches the
/// calls that method makes. Every <see cref="IImmortalGrain"/> calls it as its grain-level filter. It is not a
/// silo-wide filter, because Orleans 10.4.2 (<c>InsideRuntimeClient.Invoke</c>) skips its filter pipeline for a grain
/// without a grain-level filter when no silo-wide filter is registered. Calls to ordinary grains never reach it.
/// </summary>
internal static class ImmortalIncomingCallFilter
{
    public static Task Invoke(IIncomingGrainCallContext context)
    {
        var value = RequestContext.Get(ImmortalRequests.RequestContextKey);
        var requestId = ImmortalRequests.ParseFor(value, context.TargetId);
        if (value is not null)
        {
            RequestContext.Remove(ImmortalRequests.RequestContextKey);
        }

        var activation = context.TargetContext?.GetComponent<ImmortalActivation>();
        if (activation is null || !CallInterception.IsUserCall(context.TargetId, context.Request.GetInterfaceType()))
        {
            return context.Invoke();
        }

        return RunAsRootAsync(context, activation, requestId);
    }

    private static async Task RunAsRootAsync(
        IIncomingGrainCallContext context,
        ImmortalActivation activation,
        string? requestId)
    {
        // NOTE: the root runs the grain method directly, so a grain-level filter of the grain class could not run.
        // A grain class that declares one fails to activate.
        context.Result = await activation.RunExternalAsync(context.Request, requestId);
    }
}
