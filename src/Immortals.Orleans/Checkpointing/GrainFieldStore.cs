using System.Collections.Concurrent;
using System.Reflection;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Reads and writes the instance fields of an immortal grain that go into its checkpoints: every field declared by
/// the grain class and its base classes below <see cref="Grain"/>, except fields marked
/// <see cref="NotCheckpointedAttribute"/>.
/// </summary>
internal static class GrainFieldStore
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> FieldsByType = new();

    /// <summary>Returns the stored fields of a grain class, ordered by declaring type and name.</summary>
    public static FieldInfo[] For(Type grainClass) => FieldsByType.GetOrAdd(grainClass, Discover);

    /// <summary>Returns the names and current values of the stored fields.</summary>
    public static (string[] Names, object?[] Values) Read(object grain)
    {
        var fields = For(grain.GetType());
        var names = new string[fields.Length];
        var values = new object?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            names[i] = Name(fields[i]);
            values[i] = fields[i].GetValue(grain);
        }

        return (names, values);
    }

    /// <summary>
    /// Sets the stored fields from a checkpoint, matched by name. Fields missing from the checkpoint keep the value
    /// the constructor gave them.
    /// </summary>
    public static void Write(object grain, string[] names, object?[] values)
    {
        var byName = For(grain.GetType()).ToDictionary(Name, StringComparer.Ordinal);
        for (var i = 0; i < names.Length && i < values.Length; i++)
        {
            if (byName.TryGetValue(names[i], out var field))
            {
                field.SetValue(grain, values[i]);
            }
        }
    }

    private static string Name(FieldInfo field) => field.DeclaringType!.FullName + "." + field.Name;

    private static FieldInfo[] Discover(Type grainClass)
    {
        var fields = new List<FieldInfo>();
        for (var type = grainClass; type is not null && !IsOrleansBase(type); type = type.BaseType)
        {
            foreach (var field in type.GetFields(
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsDefined(typeof(NotCheckpointedAttribute), inherit: false))
                {
                    continue;
                }

                fields.Add(field);
            }
        }

        return [.. fields.OrderBy(Name, StringComparer.Ordinal)];
    }

    private static bool IsOrleansBase(Type type) =>
        type == typeof(object) || type == typeof(Grain) || type.Assembly == typeof(Grain).Assembly;
}
