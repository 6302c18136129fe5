using Immortals.Orleans.Checkpointing;
using Orleans.CodeGeneration;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Filters;

/// <summary>
/// The grain reference runtime of the silo's grain references. It turns the calls that the grain methods of an
/// immortal grain make to user grain interfaces into recorded calls: nothing is sent until a stored checkpoint
/// contains the call. Every other call goes straight to Orleans' own runtime.
/// </summary>
/// <remarks>
/// Orleans 10.4.2 has no outgoing call filter per calling grain, and a silo-wide filter makes every call of every
/// grain take Orleans' filter pipeline. This runtime costs an ordinary call one <c>AsyncLocal</c> read instead.
/// </remarks>
internal sealed class ImmortalReferenceRuntime(IGrainReferenceRuntime inner) : IGrainReferenceRuntime
{
    public ValueTask<TResult?> InvokeMethodAsync<TResult>(
        GrainReference reference,
        IInvokable request,
        InvokeMethodOptions options)
    {
        if (Interceptor(reference, request) is not { } activation)
        {
            return inner.InvokeMethodAsync<TResult>(reference, request, options);
        }

        return InterceptAsync<TResult>(activation, reference, request);
    }

    public ValueTask InvokeMethodAsync(GrainReference reference, IInvokable request, InvokeMethodOptions options)
    {
        if (Interceptor(reference, request) is not { } activation)
        {
            return inner.InvokeMethodAsync(reference, request, options);
        }

        return new ValueTask(activation.InterceptAsync(reference.GrainId, reference.InterfaceType, request));
    }

    public void InvokeMethod(GrainReference reference, IInvokable request, InvokeMethodOptions options)
    {
        if (Interceptor(reference, request) is not { } activation)
        {
            inner.InvokeMethod(reference, request, options);
            return;
        }

        // A one-way call is recorded before this returns, and the task it returns is already complete.
        _ = activation.InterceptAsync(reference.GrainId, reference.InterfaceType, request);
    }

    public object Cast(IAddressable grain, Type grainInterface) => inner.Cast(grain, grainInterface);

    /// <summary>
    /// Returns the immortal activation whose grain method makes this call on the activation's scheduler, when the
    /// call is one that the activation records, or <see langword="null"/> for a call that leaves as a plain call.
    /// </summary>
    private static ImmortalActivation? Interceptor(GrainReference reference, IInvokable request)
    {
        var activation = ImmortalActivation.CurrentRoot;
        if (activation is null
            || ImmortalActivation.IsPluginSend
            || !activation.IsOnScheduler
            || !CallInterception.IsRecordedCall(reference.GrainId, request.GetInterfaceType()))
        {
            // NOTE: a call that grain code makes off the activation's scheduler (after ConfigureAwait(false) or in
            // Task.Run) runs on another scheduler and leaves as a plain call, also when it runs again after recovery.
            return null;
        }

        return activation;
    }

    private static async ValueTask<TResult?> InterceptAsync<TResult>(
        ImmortalActivation activation,
        GrainReference reference,
        IInvokable request) =>
        (TResult?)await activation.InterceptAsync(reference.GrainId, reference.InterfaceType, request);
}
