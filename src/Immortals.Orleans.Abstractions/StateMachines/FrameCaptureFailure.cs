namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Reason a snapshot of suspended async methods could not be taken.
/// </summary>
public enum FrameCaptureFailure
{
    /// <summary>A local, parameter or spilled value has a type the Orleans serializer cannot write.</summary>
    UnserializableLocal = 1,

    /// <summary>
    /// A method awaits something other than a known call or another async method, for example
    /// <c>Task.Yield()</c>, a <c>Task.Delay</c> task or a custom awaiter.
    /// </summary>
    UnsupportedAwaiter = 2,

    /// <summary>
    /// A task is not the task of a compiler-generated async state machine, for example because the runtime ran
    /// the method as runtime-implemented async.
    /// </summary>
    NoCompilerStateMachine = 3,

    /// <summary>A method is running or has finished, so it is not suspended at an await.</summary>
    NotSuspended = 4,
}
