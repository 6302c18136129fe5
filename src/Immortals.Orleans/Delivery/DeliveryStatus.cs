namespace Immortals.Orleans.Delivery;

/// <summary>Reply of a grain to a delivery of a request or a result.</summary>
[GenerateSerializer]
public enum DeliveryStatus
{
    /// <summary>A stored checkpoint of the callee holds the request; its result follows as a separate delivery.</summary>
    Accepted = 0,

    /// <summary>The callee finished the call; the reply carries the result.</summary>
    Completed = 1,

    /// <summary>The call is finished and the caller stored its result earlier; nothing more will come.</summary>
    Done = 2,

    /// <summary>The caller holds the result in memory only; the callee keeps it until it is acknowledged.</summary>
    Received = 3,

    /// <summary>The caller has stored the result; the callee may forget it.</summary>
    Acknowledged = 4,
}
