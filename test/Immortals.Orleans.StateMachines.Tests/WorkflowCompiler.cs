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
    public static Assembly Compile(string assemblyName, string source, OptimizationLevel optimization)
    {
        var context = new AssemblyLoadContext($"{assemblyName}-{Guid.NewGuid():N}");
        using var image = new MemoryStream(CompileToImage(assemblyName, source, optimization));
        return context.LoadFromStream(image);
    }

    /// <summary>
    /// Compiles <paramref name="source"/> into the bytes of an assembly; <paramref name="features"/> turns on compiler
    /// features such as <c>runtime-async</c>.
    /// </summary>
    public static byte[] CompileToImage(string assemblyName, string source, OptimizationLevel optimization, params string[] features)
    {
        var parseOptions = CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithFeatures(features.Select(f => new KeyValuePair<string, string>(f, "on")));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, parseOptions)],
            References.Value,
            new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: optimization,
                    nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions([new("SYSLIB5007", ReportDiagnostic.Suppress)]));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException("The workflow source does not compile:\n" + string.Join("\n", errors));
        }

        return image.ToArray();
    }
}
