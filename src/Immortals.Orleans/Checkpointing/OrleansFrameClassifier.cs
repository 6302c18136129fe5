using Immortals.Orleans.StateMachines;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Tells the frame engine which async frames belong to grain code and which to Orleans or to this plugin.
/// </summary>
/// <remarks>
/// Between a grain's await of a call and the completion source of that call lie Orleans' call frames
/// (<c>InvokeMethodWithFiltersAsync</c>, the outgoing call invoker) and the plugin's filter frame. They are part of
/// the call, not of the grain, so the engine treats them as the call itself. A rebuilt grain frame awaits a fresh
/// completion source directly. Orleans' <c>CompleteInvokeAsync</c> frame sits above a grain method and ends walks.
/// Frames are matched by assembly and method name, never by compiler-generated type names.
/// </remarks>
internal static class OrleansFrameClassifier
{
    private static readonly string PluginAssembly = typeof(OrleansFrameClassifier).Assembly.GetName().Name!;

    /// <summary>Returns the role of an async frame.</summary>
    public static FrameRole Classify(AsyncMethodIdentity method)
    {
        if (method.Assembly == PluginAssembly)
        {
            return FrameRole.PassThrough;
        }

        if (!method.Assembly.StartsWith("Orleans", StringComparison.Ordinal))
        {
            return FrameRole.Capture;
        }

        return method.Method == "CompleteInvokeAsync" ? FrameRole.Boundary : FrameRole.PassThrough;
    }
}
