namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Role of a suspended async method on the path between a root and a leaf, as decided by the caller's
/// classifier.
/// </summary>
internal enum FrameRole
{
    /// <summary>The frame belongs to the owner's code: capture it and rebuild it later.</summary>
    Capture = 0,

    /// <summary>
    /// The frame is part of the leaf, for example an Orleans call-invoker frame between grain code and the
    /// completion source of a call. It is not captured; any task that refers to it refers to the leaf.
    /// </summary>
    PassThrough = 1,

    /// <summary>The frame belongs to the infrastructure above the roots: walks stop there.</summary>
    Boundary = 2,
}
