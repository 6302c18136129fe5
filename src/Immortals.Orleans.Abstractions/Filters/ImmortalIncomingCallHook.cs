namespace Immortals.Orleans.Filters;

/// <summary>
/// Connects the grain-level incoming call filter of <see cref="IImmortalGrain"/> to the runtime. The runtime installs
/// its handler when a silo with immortal grains starts, because this assembly does not reference the runtime.
/// </summary>
internal static class ImmortalIncomingCallHook
{
    private static Func<IIncomingGrainCallContext, Task>? s_handler;

    /// <summary>Installs the runtime's handler. Every silo of a process installs the same one.</summary>
    public static void Install(Func<IIncomingGrainCallContext, Task> handler) => Volatile.Write(ref s_handler, handler);

    /// <summary>
    /// Hands a request to an immortal grain to the runtime. Without a silo that called <c>AddImmortals</c> in this
    /// process, the request runs as a plain call, without the caller's request id.
    /// </summary>
    public static Task Invoke(IIncomingGrainCallContext context)
    {
        if (Volatile.Read(ref s_handler) is { } handler)
        {
            return handler(context);
        }

        RequestContext.Remove(ImmortalRequests.RequestContextKey);
        return context.Invoke();
    }
}
