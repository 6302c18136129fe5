namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Everything a rebuilt run needs: the frame snapshot, the calls made so far, and the journal written before the
/// capture. The child-process test writes it to a file.
/// </summary>
/// <param name="Build">Workflow build the snapshot was taken from.</param>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Frames">The frame snapshot.</param>
/// <param name="Calls">Calls made before the capture, with their outcomes.</param>
/// <param name="Journal">Journal entries written before the capture.</param>
[GenerateSerializer]
public sealed record WorldCheckpoint(
    [property: Id(0)] string Build,
    [property: Id(1)] string Scenario,
    [property: Id(2)] byte[] Frames,
    [property: Id(3)] LeafCall[] Calls,
    [property: Id(4)] string[] Journal);
