using System.Text;
using System.Text.RegularExpressions;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Formats types as stable names for fingerprints and messages: full names with generic arguments spelled out
/// and without assembly versions, so the name does not change when an unrelated assembly is rebuilt.
/// </summary>
internal static partial class TypeNames
{
    /// <summary>
    /// Removes the ordinals the compiler puts in generated names (<c>&lt;Run&gt;d__3</c>,
    /// <c>&lt;&gt;c__DisplayClass3_0</c>, <c>&lt;Run&gt;b__3_0</c>, <c>&lt;Run&gt;g__Local|3_0</c>): they count the
    /// methods of the declaring type, so they change when an unrelated method is added.
    /// </summary>
    public static string RemoveOrdinals(string name) =>
        name.Contains('<', StringComparison.Ordinal) ? MethodOrdinal().Replace(name, "$1*") : name;

    /// <summary>Returns the stable name of a type, for example <c>System.Collections.Generic.List&lt;System.Int32&gt;</c>.</summary>
    public static string Format(Type type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsGenericParameter)
        {
            builder.Append(type.DeclaringMethod is null ? "!" : "!!").Append(type.Name);
            return;
        }

        if (type.IsByRef || type.IsPointer)
        {
            Append(builder, type.GetElementType()!);
            builder.Append(type.IsByRef ? '&' : '*');
            return;
        }

        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (!type.IsGenericType)
        {
            AppendDefinitionName(builder, type);
            return;
        }

        AppendDefinitionName(builder, type.GetGenericTypeDefinition());
        builder.Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Append(builder, arguments[i]);
        }

        builder.Append('>');
    }

    private static void AppendDefinitionName(StringBuilder builder, Type type)
    {
        if (type.IsNested)
        {
            AppendDefinitionName(builder, type.DeclaringType!);
            builder.Append('+').Append(RemoveOrdinals(type.Name));
            return;
        }

        if (!string.IsNullOrEmpty(type.Namespace))
        {
            builder.Append(type.Namespace).Append('.');
        }

        builder.Append(type.Name);
    }

    [GeneratedRegex(@"(>d__|<>c__DisplayClass|>b__|\|)\d+")]
    private static partial Regex MethodOrdinal();
}
