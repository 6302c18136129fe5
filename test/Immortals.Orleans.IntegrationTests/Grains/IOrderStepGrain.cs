namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// An immortal service of an order saga (stock, payment, shipping) that records its actions in a journal.
/// </summary>
public interface IOrderStepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends <paramref name="entry"/> to the journal grain <paramref name="journalKey"/>, or throws
    /// <see cref="InvalidOperationException"/> without appending when <paramref name="fail"/> is set.
    /// </summary>
    Task<int> Perform(string journalKey, string entry, bool fail);
}
