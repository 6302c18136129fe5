namespace Immortals.Orleans.Benchmarks;

/// <summary>One benchmark scenario, selected by name on the command line.</summary>
internal interface IBenchmarkScenario
{
    /// <summary>Name given on the command line.</summary>
    string Name { get; }

    /// <summary>One-line description for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the scenario and writes its results as Markdown to standard output.</summary>
    /// <param name="quick">Whether to run the short version (under a minute) instead of the full one.</param>
    Task RunAsync(bool quick);
}
