using Immortals.Orleans.Waits;
using Orleans.Runtime;

namespace Immortals.Orleans.Filters;

/// <summary>Decides which calls are calls to user grain interfaces, the only calls the plugin intercepts.</summary>
internal static class CallInterception
{
    /// <summary>
    /// Whether a call goes to a user grain interface: not to a system target, not to a grain extension (the plugin's
    /// own and Orleans' management extensions), and not to an interface defined by Orleans.
    /// </summary>
    public static bool IsUserCall(GrainId target, Type? interfaceType)
    {
        if (interfaceType is null || target.IsSystemTarget())
        {
            return false;
        }

        if (typeof(IGrainExtension).IsAssignableFrom(interfaceType) || typeof(ISystemTarget).IsAssignableFrom(interfaceType))
        {
            return false;
        }

        var assembly = interfaceType.Assembly.GetName().Name ?? string.Empty;
        return !assembly.StartsWith("Orleans", StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether an immortal grain method's call is recorded and sent only after a stored checkpoint: a call to a user
    /// grain interface, or a signal sent with <see cref="ImmortalSignals.SendAsync{T}"/>. A signal is an output like
    /// a call, and an identical repeat is safe, so it is sent like a call to an ordinary grain.
    /// </summary>
    public static bool IsRecordedCall(GrainId target, Type? interfaceType) =>
        IsUserCall(target, interfaceType) || interfaceType == typeof(IImmortalSignalExtension);
}
