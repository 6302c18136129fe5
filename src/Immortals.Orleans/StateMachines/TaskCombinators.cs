using System.Collections.Concurrent;
using System.Reflection;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Reads the promise tasks that <c>Task.WhenAll</c> and <c>Task.WhenAny</c> return, and creates them again over
/// rebuilt inputs.
/// </summary>
/// <remarks>
/// Checked against .NET 10.0.12 (System.Private.CoreLib 10.0.0.0), by reflection over the loaded runtime:
/// <list type="bullet">
/// <item><c>Task.WhenAllPromise</c> (<c>Task.WhenAll</c> over tasks without results) keeps no list of its inputs,
/// only <c>_remainingToComplete</c>. It registers itself as a completion action on each pending input, and keeps
/// the inputs that failed or were canceled in <c>Task.m_stateObject</c> (a <c>Task</c> or a
/// <c>List&lt;Task&gt;</c>). <c>Task.WhenAll</c> over one task returns that task itself.</item>
/// <item><c>Task.WhenAllPromise&lt;T&gt;</c> keeps its inputs in order in <c>m_tasks</c> (a <c>Task&lt;T&gt;[]</c>)
/// until it completes.</item>
/// <item><c>Task.TwoTaskWhenAnyPromise&lt;TTask&gt;</c> (<c>WhenAny</c> over two tasks) keeps them in
/// <c>_task1</c> and <c>_task2</c>, and <c>TaskFactory.CompleteOnInvokePromise&lt;TTask&gt;</c> (any other count)
/// keeps them in <c>_tasks</c> (an <c>IList&lt;TTask&gt;</c>); both clear the fields when they complete.</item>
/// </list>
/// A rebuild never recreates these internals: it calls <c>Task.WhenAll</c> or <c>Task.WhenAny</c> again over the
/// rebuilt inputs.
/// </remarks>
internal static class TaskCombinators
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly ConcurrentDictionary<Type, TaskCombinatorKind?> KindCache = new();
    private static readonly ConcurrentDictionary<(TaskCombinatorKind Kind, Type? Element), Func<Task[], Task>> FactoryCache = new();
    private static readonly ConcurrentDictionary<(Type Type, string Name), FieldInfo> FieldCache = new();

    /// <summary>Returns which combinator created <paramref name="task"/>, or <see langword="null"/> for other tasks.</summary>
    public static TaskCombinatorKind? KindOf(Task task) => KindCache.GetOrAdd(task.GetType(), FindKind);

    /// <summary>
    /// Returns the element type of a promise: <c>T</c> for <c>WhenAll&lt;T&gt;</c>, the input task type
    /// (<c>Task</c> or <c>Task&lt;T&gt;</c>) for <c>WhenAny</c>, <see langword="null"/> for <c>WhenAll</c>.
    /// </summary>
    public static Type? ElementType(Task promise, TaskCombinatorKind kind) =>
        kind == TaskCombinatorKind.WhenAll ? null : promise.GetType().GetGenericArguments()[0];

    /// <summary>
    /// Reads the inputs of a pending <c>WhenAll&lt;T&gt;</c> or <c>WhenAny</c> promise in order, or returns
    /// <see langword="null"/> when the promise has started to complete and cleared them.
    /// </summary>
    public static IReadOnlyList<Task>? ReadInputs(Task promise, TaskCombinatorKind kind)
    {
        var type = promise.GetType();
        IEnumerable<Task?>? inputs = kind switch
        {
            TaskCombinatorKind.WhenAllResults => (Task?[]?)Read(promise, "m_tasks"),
            TaskCombinatorKind.WhenAny when type.Name.StartsWith("TwoTask", StringComparison.Ordinal) =>
                [(Task?)Read(promise, "_task1"), (Task?)Read(promise, "_task2")],
            TaskCombinatorKind.WhenAny => ((System.Collections.IEnumerable?)Read(promise, "_tasks"))?.Cast<Task?>(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "WhenAll keeps no list of its inputs."),
        };
        var list = inputs?.ToList();
        return list is null || list.Contains(null) ? null : list.ConvertAll(task => task!);
    }

    /// <summary>Reads the number of inputs of a <c>WhenAll</c> promise that have not completed it yet.</summary>
    public static int ReadRemaining(Task promise) => (int)Read(promise, "_remainingToComplete")!;

    /// <summary>Reads the inputs of a <c>WhenAll</c> promise that failed or were canceled.</summary>
    public static IReadOnlyList<Task> ReadFailedInputs(Task promise)
    {
        switch (Read(promise, "m_stateObject"))
        {
            case Task task:
                return [task];
            case List<Task> list:
                lock (list)
                {
                    return [.. list];
                }

            default:
                return [];
        }
    }

    /// <summary>
    /// Calls the combinator of <paramref name="kind"/> afresh over <paramref name="inputs"/>. Each input must be a
    /// task of <paramref name="elementType"/> (for <c>WhenAny</c>) or a <c>Task&lt;elementType&gt;</c>
    /// (for <c>WhenAll&lt;T&gt;</c>).
    /// </summary>
    public static Task Create(TaskCombinatorKind kind, Type? elementType, Task[] inputs)
    {
        var factory = FactoryCache.GetOrAdd((kind, elementType), static key => key.Kind switch
        {
            TaskCombinatorKind.WhenAll => static tasks => Task.WhenAll(tasks),
            TaskCombinatorKind.WhenAllResults => Generic(nameof(CreateWhenAllResults), key.Element!),
            TaskCombinatorKind.WhenAny when key.Element == typeof(Task) => static tasks => Task.WhenAny(tasks),
            TaskCombinatorKind.WhenAny => Generic(nameof(CreateWhenAny), TaskShape.GetResultType(key.Element!)!),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), key.Kind, "Unknown task combinator."),
        });
        return factory(inputs);
    }

    /// <summary>Returns the input task type a combinator of <paramref name="kind"/> requires.</summary>
    public static Type InputType(TaskCombinatorKind kind, Type? elementType) => kind switch
    {
        TaskCombinatorKind.WhenAllResults => typeof(Task<>).MakeGenericType(elementType!),
        TaskCombinatorKind.WhenAny => elementType!,
        _ => typeof(Task),
    };

    private static TaskCombinatorKind? FindKind(Type type)
    {
        if (type.Assembly != typeof(Task).Assembly)
        {
            return null;
        }

        var name = type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName;
        return name switch
        {
            "System.Threading.Tasks.Task+WhenAllPromise" => TaskCombinatorKind.WhenAll,
            "System.Threading.Tasks.Task+WhenAllPromise`1" => TaskCombinatorKind.WhenAllResults,
            "System.Threading.Tasks.Task+TwoTaskWhenAnyPromise`1" => TaskCombinatorKind.WhenAny,
            "System.Threading.Tasks.TaskFactory+CompleteOnInvokePromise`1" => TaskCombinatorKind.WhenAny,
            _ => null,
        };
    }

    private static object? Read(Task promise, string name)
    {
        var field = FieldCache.GetOrAdd((promise.GetType(), name), static key => FindField(key.Type, key.Name));
        return field.GetValue(promise);
    }

    private static FieldInfo FindField(Type type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetField(name, InstanceFields | BindingFlags.DeclaredOnly) is { } field)
            {
                return field;
            }
        }

        throw new PlatformNotSupportedException(
            $"{type} has no field '{name}' on .NET {Environment.Version}; the frame engine reads task combinators as "
            + ".NET 10.0.12 lays them out.");
    }

    private static Func<Task[], Task> Generic(string name, Type argument) =>
        typeof(TaskCombinators)
            .GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(argument)
            .CreateDelegate<Func<Task[], Task>>();

    private static Task CreateWhenAllResults<T>(Task[] inputs) => Task.WhenAll(Array.ConvertAll(inputs, task => (Task<T>)task));

    private static Task CreateWhenAny<T>(Task[] inputs) => Task.WhenAny(Array.ConvertAll(inputs, task => (Task<T>)task));
}
