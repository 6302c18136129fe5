using System.Collections.Concurrent;
using System.Reflection;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Name of a closed type as stored in a snapshot: the simple assembly name, the full name of the type or its
/// generic definition, and its generic arguments. Arrays are stored by element type and rank.
/// </summary>
/// <param name="Assembly">Simple assembly name, or empty for an array.</param>
/// <param name="FullName">Full name of the type or generic definition, or empty for an array.</param>
/// <param name="Arguments">Generic arguments, or the single element type of an array.</param>
/// <param name="ArrayRank">0 for a non-array type, -1 for a single-dimension zero-based array, else the rank.</param>
internal sealed record TypeReference(string Assembly, string FullName, IReadOnlyList<TypeReference> Arguments, int ArrayRank)
{
    private static readonly ConcurrentDictionary<Type, TypeReference> Cache = new();
    private static readonly ConcurrentDictionary<Assembly, string> AssemblyNames = new();
    private static readonly ConcurrentDictionary<(string Assembly, string FullName), Type> Definitions = new();

    /// <summary>Returns the reference to a closed type.</summary>
    public static TypeReference From(Type type) => Cache.GetOrAdd(type, Create);

    /// <summary>Returns the simple name of an assembly, cached because <see cref="Assembly.GetName()"/> allocates.</summary>
    public static string GetAssemblyName(Assembly assembly) =>
        AssemblyNames.GetOrAdd(assembly, static a => a.GetName().Name ?? string.Empty);

    private static TypeReference Create(Type type)
    {
        if (type.IsArray)
        {
            var rank = type.IsSZArray ? -1 : type.GetArrayRank();
            return new TypeReference(string.Empty, string.Empty, [From(type.GetElementType()!)], rank);
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var arguments = type.IsGenericType ? type.GetGenericArguments().Select(From).ToArray() : [];
        return new TypeReference(GetAssemblyName(definition.Assembly), definition.FullName!, arguments, 0);
    }

    /// <summary>
    /// Resolves the type through <paramref name="resolveAssembly"/>, or else among the assemblies loaded in this
    /// process, loading the assembly by name when none is; returns <see langword="null"/> when the type or an
    /// argument does not exist.
    /// </summary>
    public Type? Resolve(Func<string, Assembly?>? resolveAssembly = null)
    {
        if (ArrayRank != 0)
        {
            var element = Arguments[0].Resolve(resolveAssembly);
            if (element is null)
            {
                return null;
            }

            return ArrayRank < 0 ? element.MakeArrayType() : element.MakeArrayType(ArrayRank);
        }

        var custom = resolveAssembly?.Invoke(Assembly);
        var definition = custom is not null ? custom.GetType(FullName, throwOnError: false) : FindDefinition(Assembly, FullName);
        if (definition is null || Arguments.Count == 0)
        {
            return definition;
        }

        var arguments = new Type[Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = Arguments[i].Resolve(resolveAssembly);
            if (argument is null)
            {
                return null;
            }

            arguments[i] = argument;
        }

        return definition.MakeGenericType(arguments);
    }

    /// <summary>Returns the type name with its generic arguments, without assembly names.</summary>
    public override string ToString()
    {
        if (ArrayRank != 0)
        {
            return Arguments[0] + (ArrayRank < 0 ? "[]" : "[" + new string(',', ArrayRank - 1) + "]");
        }

        return Arguments.Count == 0 ? FullName : $"{FullName}<{string.Join(",", Arguments)}>";
    }

    /// <summary>Finds a type definition by assembly and name, caching hits only: a miss may be an assembly that
    /// loads later.</summary>
    private static Type? FindDefinition(string assembly, string fullName)
    {
        if (Definitions.TryGetValue((assembly, fullName), out var known))
        {
            return known;
        }

        var definition = FindAssembly(assembly)?.GetType(fullName, throwOnError: false);
        if (definition is not null)
        {
            Definitions.TryAdd((assembly, fullName), definition);
        }

        return definition;
    }

    private static Assembly? FindAssembly(string name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (GetAssemblyName(assembly) == name)
            {
                return assembly;
            }
        }

        try
        {
            return System.Reflection.Assembly.Load(new AssemblyName(name));
        }
        catch (IOException)
        {
            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
