using Immortals.Orleans.Checkpointing;

namespace Immortals.Orleans.Filters;

/// <summary>
/// Runs plain Orleans requests to immortal grains (from clients and ordinary grains) as roots, and takes the
/// caller's request id out of <see cref="RequestContext"/> before any grain method runs, so it never reaches the
/// calls that method makes.
/// </summary>
internal sealed class ImmortalIncomingCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var requestId = ImmortalRequests.ParseFor(RequestContext.Get(ImmortalRequests.RequestContextKey), context.TargetId);
        RequestContext.Remove(ImmortalRequests.RequestContextKey);
        var activation = context.TargetContext?.GetComponent<ImmortalActivation>();
        if (activation is null || !CallInterception.IsUserCall(context.TargetId, context.Request.GetInterfaceType()))
        {
            await context.Invoke();
            return;
        }

        // NOTE: the root runs the grain method directly, so incoming filters registered after this one do not run
        // for requests to immortal grains.
        context.Result = await activation.RunExternalAsync(context.Request, requestId);
    }
}
