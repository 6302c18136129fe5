namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Decodes the names the C# compiler gives to state machines, their fields and closures.
/// </summary>
/// <remarks>
/// Names as emitted by Roslyn 4.x and 5.x: <c>&lt;&gt;1__state</c>, <c>&lt;&gt;t__builder</c>,
/// <c>&lt;&gt;u__N</c> (awaiters), <c>&lt;&gt;4__this</c>, <c>&lt;name&gt;5__N</c> (hoisted locals),
/// <c>&lt;&gt;7__wrapN</c> and <c>&lt;&gt;s__N</c> (spills), <c>&lt;&gt;8__N</c> (closure instances),
/// <c>&lt;&gt;c__DisplayClassN_M</c> (closure classes) and <c>&lt;&gt;c</c> (the cache class of lambdas that
/// capture nothing).
/// </remarks>
internal static class CompilerNames
{
    public const string StateField = "<>1__state";
    public const string BuilderField = "<>t__builder";
    public const string ThisField = "<>4__this";
    public const string AwaiterFieldPrefix = "<>u__";
    public const string LambdaCacheClass = "<>c";
    public const string LambdaCacheInstanceField = "<>9";

    /// <summary>
    /// Returns whether a snapshot stores a state-machine field: every field but the state, the builder and the
    /// awaiters.
    /// </summary>
    public static bool IsStoredStateMachineField(string fieldName) =>
        fieldName != StateField && fieldName != BuilderField && !IsAwaiterField(fieldName);

    /// <summary>
    /// Returns whether a state-machine field is a spill: a temporary that the compiler keeps across an await, such
    /// as the receiver or an earlier operand of an expression that contains the await.
    /// </summary>
    public static bool IsSpillField(string fieldName) =>
        fieldName.StartsWith("<>7__wrap", StringComparison.Ordinal) || fieldName.StartsWith("<>s__", StringComparison.Ordinal);

    /// <summary>Returns whether a state-machine field is an awaiter field.</summary>
    public static bool IsAwaiterField(string fieldName) => fieldName.StartsWith(AwaiterFieldPrefix, StringComparison.Ordinal);

    /// <summary>Returns whether a type is a closure class or the lambda cache class the compiler generates.</summary>
    public static bool IsClosureType(Type type) =>
        type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal)
        || (type.Name == LambdaCacheClass && type.IsNested);

    /// <summary>
    /// Returns the method name inside the leading angle brackets of a compiler-generated name:
    /// <c>Run</c> for <c>&lt;Run&gt;d__3</c>, <c>&lt;Run&gt;g__Local|0_0</c> for
    /// <c>&lt;&lt;Run&gt;g__Local|0_0&gt;d</c>.
    /// </summary>
    public static string GetMethodName(string generatedName)
    {
        if (generatedName.Length == 0 || generatedName[0] != '<')
        {
            return generatedName;
        }

        var depth = 0;
        for (var i = 0; i < generatedName.Length; i++)
        {
            if (generatedName[i] == '<')
            {
                depth++;
            }
            else if (generatedName[i] == '>' && --depth == 0)
            {
                return generatedName[1..i];
            }
        }

        return generatedName;
    }

    /// <summary>
    /// Returns a readable method name: <c>Run</c>, <c>Run.Local (local function)</c> or <c>Run (lambda)</c>.
    /// </summary>
    public static string GetDisplayMethodName(string method)
    {
        if (method.Length == 0 || method[0] != '<')
        {
            return method;
        }

        var outer = GetMethodName(method);
        var rest = method[(outer.Length + 2)..];
        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            var local = rest[3..];
            var bar = local.IndexOf('|', StringComparison.Ordinal);
            return $"{outer}.{(bar < 0 ? local : local[..bar])} (local function)";
        }

        return rest.StartsWith("b__", StringComparison.Ordinal) ? $"{outer} (lambda)" : method;
    }

    /// <summary>
    /// Returns the source name of a state-machine or closure field: <c>total</c> for <c>&lt;total&gt;5__2</c>,
    /// <c>this</c> for <c>&lt;&gt;4__this</c>, parameter names as they are, and the compiler's name for values
    /// without a source name.
    /// </summary>
    public static string GetSourceName(string fieldName)
    {
        if (fieldName == ThisField)
        {
            return "this";
        }

        if (fieldName.Length > 2 && fieldName[0] == '<' && fieldName[1] != '>')
        {
            var name = GetMethodName(fieldName);
            if (fieldName.AsSpan(name.Length + 2).StartsWith("5__", StringComparison.Ordinal))
            {
                return name;
            }
        }

        return fieldName;
    }
}
