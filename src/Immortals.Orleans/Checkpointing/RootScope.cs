using Immortals.Orleans.Roots;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// The activation and, when known, the root whose grain code runs on the current flow. Rebuilt frames share one
/// scope without a root, because they are rebuilt together.
/// </summary>
internal sealed record RootScope(ImmortalActivation Activation, ActiveRoot? Root);
