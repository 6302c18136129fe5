using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Reads the private parts of the .NET task infrastructure that the frame engine relies on. All reflection over
/// runtime internals lives here.
/// </summary>
/// <remarks>
/// Checked against .NET 10.0.12 (System.Private.CoreLib 10.0.0.0). The layout relied on:
/// <list type="bullet">
/// <item><c>Task.m_continuationObject</c> (object): null, a completion sentinel, the single continuation, or a
/// <c>List&lt;object&gt;</c> of several. <c>Task.WhenAll</c> and <c>Task.WhenAny</c> register their promise task
/// itself. An await registers either the state-machine box itself, or a
/// <c>TaskSchedulerAwaitTaskContinuation</c> / <c>SynchronizationContextAwaitTaskContinuation</c> whose
/// <c>AwaitTaskContinuation.m_action</c> delegate has the box as its target.</item>
/// <item><c>AsyncTaskMethodBuilder&lt;TResult&gt;.AsyncStateMachineBox&lt;TStateMachine&gt;</c> (and its subclass
/// <c>DebugFinalizableAsyncStateMachineBox</c>) is the async method's task and keeps the state machine in its
/// public field <c>StateMachine</c>. Methods returning <c>Task</c> use <c>TResult = VoidTaskResult</c>, and the
/// <c>ValueTask</c> builders use the same boxes.</item>
/// <item><c>ValueTask._obj</c> / <c>ValueTask&lt;T&gt;._obj</c>: null (completed synchronously), a <c>Task</c> or
/// an <c>IValueTaskSource</c>; <c>ValueTask&lt;T&gt;._result</c> contains a synchronous result.</item>
/// <item>Awaiters: <c>TaskAwaiter(&lt;T&gt;).m_task</c>, <c>ValueTaskAwaiter(&lt;T&gt;)._value</c>,
/// <c>ConfiguredTaskAwaitable(&lt;T&gt;).ConfiguredTaskAwaiter.m_task</c> and <c>.m_options</c>
/// (<see cref="ConfigureAwaitOptions"/>), <c>ConfiguredValueTaskAwaitable(&lt;T&gt;).ConfiguredValueTaskAwaiter._value</c>.</item>
/// </list>
/// A runtime that changes any of these makes <see cref="Verify"/> throw, so the engine fails at first use
/// instead of capturing wrong frames.
/// </remarks>
internal static class AsyncRuntimeLayout
{
    /// <summary>Task field of <c>TaskAwaiter</c>, <c>TaskAwaiter&lt;T&gt;</c> and the configured task awaiters.</summary>
    public const string TaskAwaiterTaskField = "m_task";

    /// <summary><see cref="ConfigureAwaitOptions"/> field of the configured task awaiters.</summary>
    public const string TaskAwaiterOptionsField = "m_options";

    /// <summary>Value-task field of the value-task awaiters and the configured value-task awaiters.</summary>
    public const string ValueTaskAwaiterValueField = "_value";

    /// <summary>Object field of <c>ValueTask</c> and <c>ValueTask&lt;T&gt;</c>.</summary>
    public const string ValueTaskObjectField = "_obj";

    /// <summary>Synchronous result field of <c>ValueTask&lt;T&gt;</c>.</summary>
    public const string ValueTaskResultField = "_result";

    /// <summary><c>ConfigureAwait</c> flag field of <c>ValueTask</c> and <c>ValueTask&lt;T&gt;</c>.</summary>
    public const string ValueTaskContinueOnCapturedContextField = "_continueOnCapturedContext";

    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    // MethodImplAttributes.Async (0x2000) marks methods that the runtime runs as runtime-implemented async.
    private const MethodImplAttributes RuntimeAsyncFlag = (MethodImplAttributes)0x2000;

    private static readonly FieldInfo ContinuationObjectField = RequireField(typeof(Task), "m_continuationObject");

    private static readonly Type? AwaitTaskContinuationType =
        typeof(Task).Assembly.GetType("System.Threading.Tasks.AwaitTaskContinuation");

    private static readonly FieldInfo? AwaitTaskContinuationActionField =
        AwaitTaskContinuationType?.GetField("m_action", InstanceFields);

    private static readonly ConcurrentDictionary<Type, FieldInfo?> StateMachineFieldByTaskType = new();

    private static readonly ConcurrentDictionary<(Type Type, string Name), FieldInfo> PrivateFieldCache = new();

    /// <summary>
    /// Checks that the runtime has the layout described on this type, and throws
    /// <see cref="PlatformNotSupportedException"/> when it does not.
    /// </summary>
    public static void Verify()
    {
        if (AwaitTaskContinuationActionField is null)
        {
            throw new PlatformNotSupportedException(
                "This .NET runtime has no AwaitTaskContinuation.m_action field; the frame engine was checked "
                + "against .NET 10.0.12 and cannot walk await continuations on " + Environment.Version + ".");
        }
    }

    /// <summary>
    /// Returns the state machine of an async method's task (a boxed copy for struct state machines), or
    /// <see langword="null"/> when the task is not a compiler-generated state-machine box.
    /// </summary>
    public static object? GetStateMachine(Task task)
    {
        var field = StateMachineFieldByTaskType.GetOrAdd(task.GetType(), FindStateMachineField);
        return field?.GetValue(task);
    }

    /// <summary>Returns whether the task is the box of a compiler-generated async state machine.</summary>
    public static bool IsStateMachineBox(Task task) =>
        StateMachineFieldByTaskType.GetOrAdd(task.GetType(), FindStateMachineField) is not null;

    /// <summary>
    /// Returns the tasks of the async methods that await <paramref name="task"/>: the state-machine boxes found in
    /// its continuation, directly or through an await continuation wrapper.
    /// </summary>
    public static List<Task> GetAwaitingBoxes(Task task)
    {
        var result = new List<Task>();
        var continuation = ContinuationObjectField.GetValue(task);
        if (continuation is List<object?> several)
        {
            lock (several)
            {
                foreach (var item in several)
                {
                    AddBox(item, result);
                }
            }
        }
        else
        {
            AddBox(continuation, result);
        }

        return result;
    }

    /// <summary>
    /// Returns the tasks registered on <paramref name="task"/> as completion actions that are not async methods:
    /// the promises of <c>Task.WhenAll</c> and <c>Task.WhenAny</c> that wait for it.
    /// </summary>
    public static List<Task> GetWaitingPromises(Task task)
    {
        var result = new List<Task>();
        var continuation = ContinuationObjectField.GetValue(task);
        if (continuation is List<object?> several)
        {
            lock (several)
            {
                result.AddRange(several.OfType<Task>().Where(waiting => !IsStateMachineBox(waiting)));
            }
        }
        else if (continuation is Task waiting && !IsStateMachineBox(waiting))
        {
            result.Add(waiting);
        }

        return result;
    }

    /// <summary>
    /// Returns whether a task was created by runtime-implemented async: on .NET 10.0.12 (with
    /// <c>DOTNET_RuntimeAsync=1</c>) such methods return an <c>AsyncHelpers.ThunkTask&lt;T&gt;</c>.
    /// </summary>
    public static bool IsRuntimeAsyncTask(Task task) =>
        task.GetType().DeclaringType?.FullName == "System.Runtime.CompilerServices.AsyncHelpers";

    /// <summary>Returns whether the method is marked to run as runtime-implemented async.</summary>
    public static bool IsRuntimeAsync(MethodBase method) =>
        (method.MethodImplementationFlags & RuntimeAsyncFlag) != 0;

    /// <summary>
    /// Returns the object behind a <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>: null when it
    /// completed synchronously, else a <see cref="Task"/> or an <c>IValueTaskSource</c>.
    /// </summary>
    public static object? GetValueTaskObject(object valueTask)
    {
        return GetAwaiterField(valueTask, ValueTaskObjectField);
    }

    /// <summary>Reads a private field of an awaiter or value task, named in the layout described on this type.</summary>
    public static object? GetAwaiterField(object awaiter, string fieldName)
    {
        var field = PrivateFieldCache.GetOrAdd((awaiter.GetType(), fieldName), key => RequireField(key.Type, key.Name));
        return field.GetValue(awaiter);
    }

    private static void AddBox(object? continuation, List<Task> result)
    {
        switch (continuation)
        {
            case Task task when IsStateMachineBox(task):
                result.Add(task);
                break;
            case Action action when action.Target is Task target && IsStateMachineBox(target):
                result.Add(target);
                break;
            case not null when AwaitTaskContinuationType?.IsInstanceOfType(continuation) == true:
                if (AwaitTaskContinuationActionField!.GetValue(continuation) is Delegate { Target: Task boxed }
                    && IsStateMachineBox(boxed))
                {
                    result.Add(boxed);
                }

                break;
        }
    }

    private static FieldInfo? FindStateMachineField(Type taskType)
    {
        for (var type = taskType; type is not null && type != typeof(Task); type = type.BaseType)
        {
            if (type.IsGenericType
                && type.Name == "AsyncStateMachineBox`1"
                && type.DeclaringType?.Name == "AsyncTaskMethodBuilder`1"
                && type.Assembly == typeof(Task).Assembly)
            {
                return type.GetField("StateMachine", InstanceFields);
            }
        }

        return null;
    }

    private static FieldInfo RequireField(Type type, string name) =>
        type.GetField(name, InstanceFields)
        ?? throw new PlatformNotSupportedException(
            $"{type} has no field '{name}' on .NET {Environment.Version}; the frame engine was checked against "
            + ".NET 10.0.12.");
}
