namespace Immortals.Orleans.Calls;

/// <summary>In-memory state of one outgoing call: its stored record, its state and the task its frame awaits.</summary>
internal sealed class PendingCall
{
    public PendingCall(CallRecord record, LeafCompletion leaf, CallState state)
    {
        Record = record;
        Leaf = leaf;
        State = state;
    }

    public CallRecord Record { get; }

    public long Sequence => Record.Sequence;

    public CallState State { get; set; }

    /// <summary>The task the frame awaits. Replaced when frames are rebuilt.</summary>
    public LeafCompletion Leaf { get; set; }

    /// <summary>Whether the result was acknowledged to the callee.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>When the call was last sent, for resend backoff.</summary>
    public long LastSentTimestamp { get; set; }

    /// <summary>Current resend delay.</summary>
    public TimeSpan ResendDelay { get; set; }

    /// <summary>Whether a send of this call is in progress.</summary>
    public bool Sending { get; set; }

    /// <summary>The root that made the call, when known (unknown for calls of rebuilt frames).</summary>
    public Roots.ActiveRoot? Root { get; init; }

    /// <summary>Whether the call was dropped before any checkpoint stored it, so it is never sent.</summary>
    public bool Cancelled { get; set; }

    public bool HasResult => State is CallState.Received or CallState.Durable;
}
