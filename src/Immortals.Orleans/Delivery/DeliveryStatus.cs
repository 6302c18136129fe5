namespace Immortals.Orleans.Delivery;

/// <summary>Reply of a grain to a delivery of a request or a result.</summary>
[GenerateSerializer]
public enum DeliveryStatus
{
    /// <summary>A stored checkpoint of the callee contains the request. Its result follows as a separate delivery.</summary>
    Accepted = 0,

    /// <summary>The callee finished the call. The reply carries the result.</summary>
    Completed = 1,

    /// <summary>The call is finished and the caller stored its result earlier. Nothing more will come.</summary>
    Done = 2,

    /// <summary>The caller has the result in memory only. The callee keeps it until it is acknowledged.</summary>
    Received = 3,

    /// <summary>The caller has stored the result. The callee may forget it.</summary>
    Acknowledged = 4,
}
