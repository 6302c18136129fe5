using System.Reflection;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Finds which field of the owner refers to an object, so that a frame that refers to the object refers to the owner's
/// field after a rebuild instead of to a detached copy.
/// </summary>
/// <remarks>
/// The owner's fields are saved apart from the frames, so a serialized copy of an object that the owner also holds
/// would be a second object after the rebuild: <c>_items.Add(await CallAsync())</c> keeps <c>_items</c> in a spill
/// field, and its rebuilt method would add to a list that the grain no longer holds.
/// NOTE: only objects held directly by an instance field of the owner are matched. An object reached through
/// another object (an element of a list in a field) is still stored as a copy.
/// </remarks>
internal static class OwnerFields
{
    private const BindingFlags InstanceFields =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Returns the objects held by the owner's instance fields, each with the key of the first field that refers to it.
    /// Strings, tasks, delegates and the owner itself are left out: strings are immutable and the others are stored
    /// in their own way.
    /// </summary>
    public static Dictionary<object, string> Index(object owner)
    {
        var index = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        foreach (var field in Fields(owner.GetType()))
        {
            if (field.FieldType.IsValueType && Nullable.GetUnderlyingType(field.FieldType) is null)
            {
                continue;
            }

            var value = field.GetValue(owner);
            if (value is null or string or Task or Delegate || ReferenceEquals(value, owner) || value.GetType().IsValueType)
            {
                continue;
            }

            index.TryAdd(value, KeyOf(field));
        }

        return index;
    }

    /// <summary>Returns the field of <paramref name="ownerType"/> that <paramref name="key"/> names, or null.</summary>
    public static FieldInfo? Find(Type ownerType, string key) =>
        Fields(ownerType).FirstOrDefault(field => string.Equals(KeyOf(field), key, StringComparison.Ordinal));

    /// <summary>Returns the source name of the field that <paramref name="key"/> names, for messages.</summary>
    public static string DisplayName(string key) => CompilerNames.GetSourceName(key[(key.LastIndexOf(':') + 1)..]);

    private static string KeyOf(FieldInfo field) => $"{field.DeclaringType!.FullName}:{field.Name}";

    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(InstanceFields))
            {
                yield return field;
            }
        }
    }
}
