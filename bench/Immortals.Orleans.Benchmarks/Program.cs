using Immortals.Orleans.Benchmarks;
using Immortals.Orleans.Benchmarks.Dtfx;
using Immortals.Orleans.Benchmarks.Immortal;
using Immortals.Orleans.Benchmarks.Overhead;
using Immortals.Orleans.Benchmarks.Recovery;
using Immortals.Orleans.Benchmarks.Summary;
using Immortals.Orleans.Benchmarks.StorageFloor;

// Usage: dotnet run -c Release --project bench/Immortals.Orleans.Benchmarks -- SCENARIO [--quick]
if (args.Length > 0 && args[0] == DtfxWorkerRole.RoleName)
{
    return await DtfxWorkerRole.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == SiloRole.RoleName)
{
    return await SiloRole.RunAsync(args[1..]);
}

IBenchmarkScenario[] scenarios =
[
    new FrameCaptureScenario(),
    new StorageFloorScenario(),
    new StorageIdleScenario(),
    new DtfxScenario(),
    new ImmortalStepScenario(),
    new OverheadScenario(),
    new RecoveryScenario(),
    new ScaleScenario(),
    new SummaryScenario(),
];

var quick = args.Contains("--quick");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var scenario = names.Length == 1 ? scenarios.FirstOrDefault(s => s.Name == names[0]) : null;
if (scenario is null)
{
    Console.Error.WriteLine("usage: Immortals.Orleans.Benchmarks SCENARIO [--quick]");
    Console.Error.WriteLine("scenarios:");
    foreach (var known in scenarios)
    {
        Console.Error.WriteLine($"  {known.Name,-14} {known.Description}");
    }

    return 2;
}

await scenario.RunAsync(quick);
return 0;
