namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>One round of the ping workload on one silo.</summary>
/// <param name="OpsPerSecond">Operations completed per second of wall-clock time.</param>
/// <param name="CpuMicrosecondsPerOp">CPU time of the whole process per operation, in microseconds.</param>
internal readonly record struct OverheadRound(double OpsPerSecond, double CpuMicrosecondsPerOp);
