namespace Immortals.Orleans.Roots;

/// <summary>Who started a root, which decides where its result goes.</summary>
internal enum RootOrigin
{
    /// <summary>An immortal caller, through a delivery. The result goes to the caller's outbox entry.</summary>
    Delivered = 0,

    /// <summary>A client or an ordinary grain, through a plain Orleans request.</summary>
    External = 1,
}
