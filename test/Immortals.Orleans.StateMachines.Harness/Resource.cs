namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// A serializable disposable for <c>using</c> statements; disposing it writes <c>dispose NAME</c> to the journal
/// of the scheduler it runs on.
/// </summary>
[GenerateSerializer]
public sealed class Resource : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="Resource"/> class.</summary>
    public Resource(string name) => Name = name;

    /// <summary>Name written to the journal.</summary>
    [Id(0)]
    public string Name { get; private set; }

    /// <summary>Whether <see cref="Dispose"/> ran.</summary>
    [Id(1)]
    public bool IsDisposed { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (IsDisposed)
        {
            Journal.Ambient?.Add($"dispose {Name} again");
            return;
        }

        IsDisposed = true;
        Journal.Ambient?.Add($"dispose {Name}");
    }
}
