namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Computes the outcome of a leaf from its request alone, so that a run straight through and a rebuilt run
/// get the same results.
/// </summary>
public static class Responder
{
    /// <summary>Returns the result of <paramref name="call"/>, or throws the error the call fails with.</summary>
    public static object? Respond(LeafCall call)
    {
        var arguments = call.Arguments;
        return call.Operation switch
        {
            "inc" => (int)arguments[0]! + 1,
            "square" => (int)arguments[0]! * (int)arguments[0]!,
            "add" => (int)arguments[0]! + (int)arguments[1]!,
            "text" => $"<{arguments[0]}>",
            "echo" => arguments[0],
            "note" => null,
            "price" => (decimal)arguments[0]! * 1.5m,
            "fail" => throw new InvalidOperationException($"call {call.Id} failed: {arguments[0]}"),
            _ => throw new ArgumentException($"Unknown operation '{call.Operation}'.", nameof(call)),
        };
    }
}
