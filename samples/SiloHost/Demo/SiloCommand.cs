using System.Reflection;

namespace SiloHost.Demo;

/// <summary>How to start a process of the sample executable: a file name and the arguments before the role.</summary>
public sealed class SiloCommand
{
    private SiloCommand(string fileName, IReadOnlyList<string> leadingArguments)
    {
        FileName = fileName;
        LeadingArguments = leadingArguments;
    }

    /// <summary>The program to start: the sample's app host or <c>dotnet</c>.</summary>
    public string FileName { get; }

    /// <summary>Arguments before the role, such as the path of <c>SiloHost.dll</c> for <c>dotnet</c>.</summary>
    public IReadOnlyList<string> LeadingArguments { get; }

    /// <summary>Returns the command that started this process, to start more of it.</summary>
    public static SiloCommand CurrentProcess()
    {
        var processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("The path of the current executable is not known.");
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return ForAssembly(Assembly.GetEntryAssembly()!.Location);
        }

        return new SiloCommand(processPath, []);
    }

    /// <summary>Returns a command that runs <paramref name="assemblyPath"/> (<c>SiloHost.dll</c>) with <c>dotnet</c>.</summary>
    public static SiloCommand ForAssembly(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"The sample silo assembly {assemblyPath} is missing: build samples/SiloHost.",
                assemblyPath);
        }

        return new SiloCommand("dotnet", [assemblyPath]);
    }
}
