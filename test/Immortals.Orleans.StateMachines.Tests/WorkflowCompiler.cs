using System.Reflection;
using System.Runtime.Loader;
using Immortals.Orleans.StateMachines.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// Compiles C# source at test time with Roslyn and loads it into its own assembly load context, so two builds of
/// one assembly name can be loaded side by side, as after a redeployment.
/// </summary>
internal static class WorkflowCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Append(typeof(LeafCalls).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    /// <summary>Compiles <paramref name="source"/> into an assembly named <paramref name="assemblyName"/> and loads it.</summary>
    public static Assembly Compile(string assemblyName, string source, OptimizationLevel optimization, params string[] features)
    {
        var parseOptions = CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithFeatures(features.Select(f => new KeyValuePair<string, string>(f, "on")));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, parseOptions)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException("The workflow source does not compile:\n" + string.Join("\n", errors));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext($"{assemblyName}-{Guid.NewGuid():N}");
        return context.LoadFromStream(image);
    }
}
