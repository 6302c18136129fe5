namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Build-independent name of an async method: the simple name of its assembly, the full name of its declaring
/// type (generic types as definitions, for example <c>Ns.Box`1</c>) and the method name.
/// </summary>
/// <remarks>
/// The compiler names state machines <c>&lt;Method&gt;d__N</c>, where N changes with unrelated edits of the
/// declaring type, so frames are matched by the name inside the angle brackets. Lambdas and local functions
/// keep their compiler names (for example <c>&lt;Run&gt;b__0_0</c>), which are build-specific.
/// </remarks>
/// <param name="Assembly">Simple name of the declaring assembly.</param>
/// <param name="DeclaringType">Full name of the declaring type.</param>
/// <param name="Method">Method name as written in source, or the compiler's name of a lambda or local function.</param>
internal readonly record struct AsyncMethodIdentity(string Assembly, string DeclaringType, string Method)
{
    /// <summary>Returns the identity of the method that a compiler-generated state-machine type implements.</summary>
    public static AsyncMethodIdentity FromStateMachineType(Type stateMachineType)
    {
        var declaring = stateMachineType.DeclaringType ?? stateMachineType;
        return new AsyncMethodIdentity(
            TypeReference.GetAssemblyName(declaring.Assembly),
            declaring.FullName ?? declaring.Name,
            CompilerNames.GetMethodName(stateMachineType.Name));
    }

    /// <summary>Returns <c>DeclaringType.Method</c>, with lambdas and local functions spelled out.</summary>
    public override string ToString() => DeclaringType + "." + CompilerNames.GetDisplayMethodName(Method);
}
