using System.Collections.Concurrent;
using System.Reflection;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Converts between tasks and the task-like types a field can declare (<see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/>, <see cref="ValueTask{TResult}"/>), and reads and recreates
/// the outcome of completed tasks.
/// </summary>
internal static class TaskShape
{
    private static readonly ConcurrentDictionary<Type, Func<Task, object>> ToValueTaskCache = new();
    private static readonly ConcurrentDictionary<Type, Func<object?, Task>> FromResultCache = new();
    private static readonly ConcurrentDictionary<Type, Func<Task, object?>> ResultReaderCache = new();
    private static readonly ConcurrentDictionary<Type, Func<Exception[], Task>> FromExceptionCache = new();
    private static readonly ConcurrentDictionary<Type, Func<Task>> FromCanceledCache = new();

    /// <summary>Returns whether a field of this type can hold a task-like value the engine handles.</summary>
    public static bool IsValueTask(Type type) =>
        type == typeof(ValueTask) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));

    /// <summary>
    /// Returns the result type of a task type: <c>T</c> for <see cref="Task{TResult}"/> or
    /// <see cref="ValueTask{TResult}"/> and their subclasses, <see langword="null"/> for tasks without a result.
    /// </summary>
    public static Type? GetResultType(Type taskType)
    {
        for (var type = taskType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                if (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
                {
                    var result = type.GetGenericArguments()[0];

                    // Task-returning async methods complete a Task<VoidTaskResult>: a task without a result.
                    return result.FullName == "System.Threading.Tasks.VoidTaskResult" ? null : result;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Converts a task to the value a field of <paramref name="fieldType"/> holds: the task itself, or a value task
    /// over it.
    /// </summary>
    public static object ToFieldValue(Task task, Type fieldType)
    {
        if (!IsValueTask(fieldType))
        {
            return task;
        }

        var convert = ToValueTaskCache.GetOrAdd(fieldType, static type =>
        {
            if (type == typeof(ValueTask))
            {
                return static task => new ValueTask(task);
            }

            return Generic<Func<Task, object>>(nameof(ToValueTask), type.GetGenericArguments()[0]);
        });
        return convert(task);
    }

    /// <summary>Reads the result of a task that ran to completion, or null for a task without a result.</summary>
    public static object? GetResult(Task task)
    {
        var resultType = GetResultType(task.GetType());
        if (resultType is null)
        {
            return null;
        }

        var read = ResultReaderCache.GetOrAdd(resultType, static type => Generic<Func<Task, object?>>(nameof(ReadResult), type));
        return read(task);
    }

    /// <summary>Creates a task that ran to completion with <paramref name="result"/>.</summary>
    public static Task FromResult(Type? resultType, object? result)
    {
        if (resultType is null)
        {
            return Task.CompletedTask;
        }

        var create = FromResultCache.GetOrAdd(resultType, static type => Generic<Func<object?, Task>>(nameof(CreateFromResult), type));
        return create(result);
    }

    /// <summary>Creates a faulted task with <paramref name="exceptions"/>.</summary>
    public static Task FromExceptions(Type? resultType, Exception[] exceptions)
    {
        var create = FromExceptionCache.GetOrAdd(
            resultType ?? typeof(object),
            static type => Generic<Func<Exception[], Task>>(nameof(CreateFromExceptions), type));
        return create(exceptions);
    }

    /// <summary>Creates a canceled task.</summary>
    public static Task FromCanceled(Type? resultType)
    {
        var create = FromCanceledCache.GetOrAdd(
            resultType ?? typeof(object),
            static type => Generic<Func<Task>>(nameof(CreateCanceled), type));
        return create();
    }

    /// <summary>Returns whether <paramref name="task"/> can stand where a task with <paramref name="resultType"/> is
    /// awaited.</summary>
    public static bool Fits(Task task, Type? resultType) =>
        resultType is null || typeof(Task<>).MakeGenericType(resultType).IsInstanceOfType(task);

    private static TDelegate Generic<TDelegate>(string name, Type argument)
        where TDelegate : Delegate =>
        typeof(TaskShape)
            .GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(argument)
            .CreateDelegate<TDelegate>();

    private static object ToValueTask<T>(Task task) => new ValueTask<T>((Task<T>)task);

    private static object? ReadResult<T>(Task task) => ((Task<T>)task).Result;

    private static Task CreateFromResult<T>(object? result) => Task.FromResult((T)result!);

    private static Task CreateFromExceptions<T>(Exception[] exceptions)
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetException(exceptions);
        return source.Task;
    }

    private static Task CreateCanceled<T>() => Task.FromCanceled<T>(new CancellationToken(canceled: true));
}
