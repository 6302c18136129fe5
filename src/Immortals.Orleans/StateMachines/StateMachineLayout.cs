using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Reflection over one compiler-generated async state-machine type: its fields by role, its fingerprint and the
/// emitted code that suspends a rebuilt instance on an awaiter. Built once per type and cached.
/// </summary>
internal sealed class StateMachineLayout
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags AllMethods = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public
        | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // NOTE: the caches of this engine hold types for the life of the process, so a collectible assembly load context
    // whose async methods were captured or rebuilt is never unloaded.
    private static readonly ConcurrentDictionary<Type, StateMachineLayout> Cache = new();

    private static readonly ConcurrentDictionary<(Type Declaring, string Method, string Signature), Type?> StateMachineTypes = new();

    private readonly ConcurrentDictionary<int, Func<object, object>> _suspendByAwaiter = new();

    private StateMachineLayout(Type type)
    {
        Type = type;
        Identity = AsyncMethodIdentity.FromStateMachineType(type);
        DisplayName = Identity.ToString();
        Method = FindAsyncMethod(type);
        MethodSignature = Method is null ? string.Empty : FormatSignature(Method);
        Fields = FieldLayout.Of(type);
        StateField = type.GetField(CompilerNames.StateField, InstanceFields);
        BuilderField = type.GetField(CompilerNames.BuilderField, InstanceFields);
        ResultType = BuilderField is null ? null : GetBuilderResultType(BuilderField.FieldType);
        IsSupportedBuilder = BuilderField is not null && IsTaskBuilder(BuilderField.FieldType);
        AwaiterFields = Fields.All.Where(f => CompilerNames.IsAwaiterField(f.Name)).ToArray();
        StoredFields = Fields.All.Where(f => CompilerNames.IsStoredStateMachineField(f.Name)).ToArray();
        IlHash = HashMoveNext(type);
    }

    /// <summary>State-machine type, with generic arguments when the method or its type is generic.</summary>
    public Type Type { get; }

    /// <summary>Build-independent name of the async method.</summary>
    public AsyncMethodIdentity Identity { get; }

    /// <summary>Name of the method for messages, as <c>Namespace.Type.Method</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The async method the state machine implements, when it can be found on the declaring type.</summary>
    public MethodInfo? Method { get; }

    /// <summary>Parameter types of <see cref="Method"/>, used to tell overloads apart.</summary>
    public string MethodSignature { get; }

    /// <summary>Every instance field in declaration order, with the layout hash.</summary>
    public FieldLayout Fields { get; }

    /// <summary>The <c>&lt;&gt;1__state</c> field.</summary>
    public FieldInfo? StateField { get; }

    /// <summary>The <c>&lt;&gt;t__builder</c> field.</summary>
    public FieldInfo? BuilderField { get; }

    /// <summary>Whether the builder is one of the task or value-task builders the engine can rebuild.</summary>
    public bool IsSupportedBuilder { get; }

    /// <summary>Result type of the method's task, or <see langword="null"/> for <c>Task</c> and <c>ValueTask</c>.</summary>
    public Type? ResultType { get; }

    /// <summary>The <c>&lt;&gt;u__N</c> awaiter fields. They are not stored: the frame records what it awaits.</summary>
    public FieldInfo[] AwaiterFields { get; }

    /// <summary>Fields a snapshot stores: parameters, <c>this</c>, hoisted locals, spills and closures.</summary>
    public FieldInfo[] StoredFields { get; }

    /// <summary>16-byte hash of <c>MoveNext</c> with metadata tokens resolved to names.</summary>
    public byte[] IlHash { get; }

    /// <summary>Returns the cached layout of a state-machine type.</summary>
    public static StateMachineLayout For(Type stateMachineType) => Cache.GetOrAdd(stateMachineType, t => new StateMachineLayout(t));

    /// <summary>Finds the state-machine type of an async method: the stable way to locate a type on rebuild.</summary>
    public static Type? FindStateMachineType(Type declaringType, string methodName, string signature) =>
        StateMachineTypes.GetOrAdd((declaringType, methodName, signature), static key => SearchStateMachineType(key.Declaring, key.Method, key.Signature));

    private static Type? SearchStateMachineType(Type declaringType, string methodName, string signature)
    {
        foreach (var method in declaringType.GetMethods(AllMethods))
        {
            if (!IsNamed(method, methodName) || FormatSignature(method) != signature)
            {
                continue;
            }

            return method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType;
        }

        return null;
    }

    // The state-machine type of an explicit interface implementation such as "Ns.IStep.RunAsync" is named
    // "<Ns-IStep-RunAsync>d__N": type names cannot contain dots, so the compiler writes them as dashes, and the
    // method identity read from that name has dashes too. No C# method name contains a dash.
    private static bool IsNamed(MethodInfo method, string methodName) =>
        method.Name == methodName || method.Name.Replace('.', '-') == methodName;

    /// <summary>Reads <c>&lt;&gt;1__state</c>: -1 while running or not started, -2 when finished, 0 or more while
    /// suspended at an await.</summary>
    public int GetState(object stateMachine) => (int)StateField!.GetValue(stateMachine)!;

    /// <summary>
    /// Sets the awaiter field over <paramref name="awaited"/>, registers the state machine's continuation on it
    /// through its own builder, and returns the rebuilt method's task.
    /// </summary>
    /// <remarks>
    /// The builder must be reached by reference inside the state machine, because for struct state machines the
    /// builder copies the state machine into a new box and links the box to the builder field it was called on.
    /// The task is read from the builder only after the await is registered; read earlier, a
    /// <c>Task</c>-returning builder would create a task that the box never completes. The continuation captures
    /// <see cref="TaskScheduler.Current"/>, so this must run on the scheduler the method is to resume on.
    /// </remarks>
    public Task Suspend(object stateMachine, int awaiterFieldIndex, AwaiterShape shape, Task awaited, int options)
    {
        var awaiterField = AwaiterFields[awaiterFieldIndex];
        awaiterField.SetValue(stateMachine, shape.Create(awaited, options));
        var suspend = _suspendByAwaiter.GetOrAdd(awaiterFieldIndex, index => EmitSuspend(AwaiterFields[index]));
        var task = suspend(stateMachine);
        return task as Task ?? (Task)AsyncRuntimeLayout.GetValueTaskObject(task)!;
    }

    private Func<object, object> EmitSuspend(FieldInfo awaiterField)
    {
        var builder = BuilderField!;
        var awaitMethod = builder.FieldType.GetMethod("AwaitUnsafeOnCompleted")!
            .MakeGenericMethod(awaiterField.FieldType, Type);
        var taskGetter = builder.FieldType.GetProperty("Task")!.GetMethod!;
        var method = new DynamicMethod(
            "Suspend_" + Type.Name,
            typeof(object),
            [typeof(object)],
            Type.Module,
            skipVisibility: true);
        var il = method.GetILGenerator();
        if (Type.IsValueType)
        {
            // ref TStateMachine machine = ref Unsafe.Unbox<TStateMachine>(boxed): the copy inside the box.
            var machine = il.DeclareLocal(Type.MakeByRefType());
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Unbox, Type);
            il.Emit(OpCodes.Stloc, machine);
            EmitAwait(il, () => il.Emit(OpCodes.Ldloc, machine), () => il.Emit(OpCodes.Ldloc, machine));
        }
        else
        {
            var machine = il.DeclareLocal(Type);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, Type);
            il.Emit(OpCodes.Stloc, machine);
            EmitAwait(il, () => il.Emit(OpCodes.Ldloc, machine), () => il.Emit(OpCodes.Ldloca, machine));
        }

        il.Emit(OpCodes.Call, taskGetter);
        if (taskGetter.ReturnType.IsValueType)
        {
            il.Emit(OpCodes.Box, taskGetter.ReturnType);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<object, object>>();

        // machine.<>t__builder.AwaitUnsafeOnCompleted(ref machine.<>u__N, ref machine); then push
        // ref machine.<>t__builder for the Task getter.
        void EmitAwait(ILGenerator generator, Action loadInstance, Action loadMachineReference)
        {
            loadInstance();
            generator.Emit(OpCodes.Ldflda, builder);
            loadInstance();
            generator.Emit(OpCodes.Ldflda, awaiterField);
            loadMachineReference();
            generator.Emit(OpCodes.Call, awaitMethod);
            loadInstance();
            generator.Emit(OpCodes.Ldflda, builder);
        }
    }

    private static MethodInfo? FindAsyncMethod(Type stateMachineType)
    {
        var definition = stateMachineType.IsGenericType ? stateMachineType.GetGenericTypeDefinition() : stateMachineType;
        var declaring = definition.DeclaringType;
        if (declaring is null)
        {
            return null;
        }

        foreach (var method in declaring.GetMethods(AllMethods))
        {
            if (method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType == definition)
            {
                return method;
            }
        }

        return null;
    }

    private static string FormatSignature(MethodInfo method)
    {
        var text = new StringBuilder();
        if (method.IsGenericMethodDefinition)
        {
            text.Append('`').Append(method.GetGenericArguments().Length);
        }

        text.Append('(').AppendJoin(',', method.GetParameters().Select(p => TypeNames.Format(p.ParameterType))).Append(')');
        return text.ToString();
    }

    private static bool IsTaskBuilder(Type builderType)
    {
        if (builderType == typeof(AsyncTaskMethodBuilder) || builderType == typeof(AsyncValueTaskMethodBuilder))
        {
            return true;
        }

        if (!builderType.IsGenericType)
        {
            return false;
        }

        var definition = builderType.GetGenericTypeDefinition();
        return definition == typeof(AsyncTaskMethodBuilder<>) || definition == typeof(AsyncValueTaskMethodBuilder<>);
    }

    private static Type? GetBuilderResultType(Type builderType) =>
        builderType.IsGenericType ? builderType.GetGenericArguments()[0] : null;

    private static byte[] HashMoveNext(Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var moveNext = definition.GetMethod(nameof(IAsyncStateMachine.MoveNext), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        return moveNext is null ? SHA256.HashData("no MoveNext"u8)[..16] : MethodBodyHasher.Hash(moveNext);
    }
}
