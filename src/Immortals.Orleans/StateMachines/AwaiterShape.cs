using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using static Immortals.Orleans.StateMachines.AsyncRuntimeLayout;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// One awaiter type that the engine can read and recreate: the awaiters of <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/>, <see cref="ValueTask{TResult}"/> and their
/// <c>ConfigureAwait</c> forms.
/// </summary>
/// <remarks>
/// A suspended frame keeps its awaiter in a <c>&lt;&gt;u__N</c> field. Capture reads the awaited task from it;
/// rebuild creates the same awaiter type over the rebuilt task, which adapts a <see cref="Task{TResult}"/> leaf to
/// a frame that awaited a <see cref="ValueTask{TResult}"/>.
/// </remarks>
internal sealed class AwaiterShape
{
    private static readonly ConcurrentDictionary<Type, AwaiterShape?> Cache = new();

    private readonly Func<Task, int, object> _create;
    private readonly string _taskFieldName;
    private readonly bool _isValueTaskAwaiter;
    private readonly bool _isConfigured;

    private AwaiterShape(
        Type awaiterType,
        Type? resultType,
        Func<Task, int, object> create,
        string taskFieldName,
        bool isValueTaskAwaiter,
        bool isConfigured)
    {
        AwaiterType = awaiterType;
        ResultType = resultType;
        _create = create;
        _taskFieldName = taskFieldName;
        _isValueTaskAwaiter = isValueTaskAwaiter;
        _isConfigured = isConfigured;
    }

    /// <summary>Awaiter type, for example <c>TaskAwaiter&lt;int&gt;</c>.</summary>
    public Type AwaiterType { get; }

    /// <summary>Result type of the awaited task, or <see langword="null"/> for a task without a result.</summary>
    public Type? ResultType { get; }

    /// <summary>Returns the shape of a supported awaiter type, or <see langword="null"/> for any other type.</summary>
    public static AwaiterShape? For(Type awaiterType) => Cache.GetOrAdd(awaiterType, Create);

    /// <summary>
    /// Reads the awaited object of a boxed awaiter: <see langword="null"/> for a default (inactive) awaiter, else the
    /// awaited <see cref="Task"/>, or for a value task not backed by a task, its <c>IValueTaskSource</c>.
    /// </summary>
    public object? GetAwaited(object awaiter)
    {
        var inner = AsyncRuntimeLayout.GetAwaiterField(awaiter, _taskFieldName);
        if (!_isValueTaskAwaiter || inner is null)
        {
            return inner;
        }

        // A default ValueTask awaiter (_obj == null) is inactive; a synchronously completed value task is never
        // suspended on, so both read as "not awaiting".
        return AsyncRuntimeLayout.GetValueTaskObject(inner);
    }

    /// <summary>Reads the <c>ConfigureAwait</c> options of a boxed awaiter (0 for unconfigured awaiters).</summary>
    public int GetOptions(object awaiter)
    {
        if (!_isConfigured)
        {
            return 0;
        }

        if (!_isValueTaskAwaiter)
        {
            return (int)(ConfigureAwaitOptions)GetAwaiterField(awaiter, TaskAwaiterOptionsField)!;
        }

        var valueTask = GetAwaiterField(awaiter, ValueTaskAwaiterValueField)!;
        var continueOnCapturedContext = (bool)GetAwaiterField(valueTask, ValueTaskContinueOnCapturedContextField)!;
        return continueOnCapturedContext ? (int)ConfigureAwaitOptions.ContinueOnCapturedContext : 0;
    }

    /// <summary>Creates a boxed awaiter of this type over <paramref name="task"/>.</summary>
    public object Create(Task task, int options) => _create(task, options);

    private static AwaiterShape? Create(Type type)
    {
        if (type == typeof(TaskAwaiter))
        {
            return new AwaiterShape(type, null, static (task, _) => task.GetAwaiter(), TaskAwaiterTaskField, false, false);
        }

        if (type == typeof(ValueTaskAwaiter))
        {
            return new AwaiterShape(type, null, static (task, _) => new ValueTask(task).GetAwaiter(), ValueTaskAwaiterValueField, true, false);
        }

        if (type == typeof(ConfiguredTaskAwaitable.ConfiguredTaskAwaiter))
        {
            return new AwaiterShape(
                type,
                null,
                static (task, options) => task.ConfigureAwait((ConfigureAwaitOptions)options).GetAwaiter(),
                TaskAwaiterTaskField,
                false,
                true);
        }

        if (type == typeof(ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter))
        {
            return new AwaiterShape(
                type,
                null,
                static (task, options) => new ValueTask(task).ConfigureAwait(options != 0).GetAwaiter(),
                ValueTaskAwaiterValueField,
                true,
                true);
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var result = type.GetGenericArguments()[0];
        if (definition == typeof(TaskAwaiter<>))
        {
            return Generic(type, result, nameof(CreateTaskAwaiter), TaskAwaiterTaskField, false, false);
        }

        if (definition == typeof(ValueTaskAwaiter<>))
        {
            return Generic(type, result, nameof(CreateValueTaskAwaiter), ValueTaskAwaiterValueField, true, false);
        }

        if (definition == typeof(ConfiguredTaskAwaitable<>.ConfiguredTaskAwaiter))
        {
            return Generic(type, result, nameof(CreateConfiguredTaskAwaiter), TaskAwaiterTaskField, false, true);
        }

        if (definition == typeof(ConfiguredValueTaskAwaitable<>.ConfiguredValueTaskAwaiter))
        {
            return Generic(type, result, nameof(CreateConfiguredValueTaskAwaiter), ValueTaskAwaiterValueField, true, true);
        }

        return null;
    }

    private static AwaiterShape Generic(
        Type type,
        Type result,
        string factoryName,
        string taskFieldName,
        bool isValueTaskAwaiter,
        bool isConfigured)
    {
        var factory = typeof(AwaiterShape)
            .GetMethod(factoryName, BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(result)
            .CreateDelegate<Func<Task, int, object>>();
        return new AwaiterShape(type, result, factory, taskFieldName, isValueTaskAwaiter, isConfigured);
    }

    private static object CreateTaskAwaiter<T>(Task task, int options) => ((Task<T>)task).GetAwaiter();

    private static object CreateValueTaskAwaiter<T>(Task task, int options) => new ValueTask<T>((Task<T>)task).GetAwaiter();

    private static object CreateConfiguredTaskAwaiter<T>(Task task, int options) =>
        ((Task<T>)task).ConfigureAwait((ConfigureAwaitOptions)options).GetAwaiter();

    private static object CreateConfiguredValueTaskAwaiter<T>(Task task, int options) =>
        new ValueTask<T>((Task<T>)task).ConfigureAwait(options != 0).GetAwaiter();
}
