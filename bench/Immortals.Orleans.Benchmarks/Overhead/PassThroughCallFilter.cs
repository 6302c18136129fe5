namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>
/// Incoming and outgoing grain call filter that only invokes the call: the cost of Orleans' filter path alone.
/// </summary>
internal sealed class PassThroughCallFilter : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context) => context.Invoke();

    /// <inheritdoc />
    public Task Invoke(IOutgoingGrainCallContext context) => context.Invoke();
}
