using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Instance fields of a compiler-generated type in declaration order, with their stable type names and a hash
/// of the whole layout.
/// </summary>
internal sealed class FieldLayout
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.DeclaredOnly;

    private static readonly ConcurrentDictionary<Type, FieldLayout> Cache = new();

    private FieldLayout(Type type)
    {
        All = type.GetFields(InstanceFields).OrderBy(f => f.MetadataToken).ToArray();

        // Names come from the generic definition, so a generic state machine has one layout for all arguments.
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var definitionFields = definition.GetFields(InstanceFields).OrderBy(f => f.MetadataToken).ToArray();
        Names = definitionFields.Select(f => f.Name).ToArray();
        TypeNames = definitionFields.Select(f => StateMachines.TypeNames.Format(f.FieldType)).ToArray();

        var text = new StringBuilder();
        for (var i = 0; i < Names.Length; i++)
        {
            text.Append(Names[i]).Append(' ').Append(TypeNames[i]).Append('\n');
        }

        Hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }

    /// <summary>Instance fields in declaration order.</summary>
    public FieldInfo[] All { get; }

    /// <summary>Field names in declaration order.</summary>
    public string[] Names { get; }

    /// <summary>Stable field type names in declaration order, generic parameters as <c>!T</c>.</summary>
    public string[] TypeNames { get; }

    /// <summary>16-byte hash of the field names and types.</summary>
    public byte[] Hash { get; }

    /// <summary>Returns the cached layout of <paramref name="type"/>.</summary>
    public static FieldLayout Of(Type type) => Cache.GetOrAdd(type, t => new FieldLayout(t));
}
