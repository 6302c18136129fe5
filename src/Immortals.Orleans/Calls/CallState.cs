namespace Immortals.Orleans.Calls;

/// <summary>Progress of an outgoing call of an immortal grain.</summary>
internal enum CallState
{
    /// <summary>Recorded, waiting for the checkpoint that stores it. Nothing has been sent.</summary>
    Held = 0,

    /// <summary>Stored and sent (or to be sent again). No result yet.</summary>
    Sent = 1,

    /// <summary>The result is known in memory, not yet in a stored checkpoint.</summary>
    Received = 2,

    /// <summary>The result is in a stored checkpoint.</summary>
    Durable = 3,
}
