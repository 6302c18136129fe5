namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// What a finished run produced: each root's result as text, the journal, and the number of calls completed.
/// </summary>
/// <param name="Results">Results of the roots in order, as text (<c>fault: Type: message</c> for failures).</param>
/// <param name="Journal">All journal entries, those before a capture followed by those after the rebuild.</param>
/// <param name="Completions">Calls completed by the driver.</param>
public sealed record RunOutcome(IReadOnlyList<string> Results, IReadOnlyList<string> Journal, int Completions)
{
    /// <summary>Returns the results and journal as one text, for comparing runs and for the child process.</summary>
    public string Describe() => "results: " + string.Join(" | ", Results) + "\njournal: " + string.Join(" | ", Journal);
}
