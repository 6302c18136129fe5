namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Observable side effects of a workflow run, in order. A run that is captured and rebuilt must leave the same
/// entries, split between the journal before the capture and the journal after the rebuild, as a run straight
/// through.
/// </summary>
public sealed class Journal
{
    [ThreadStatic]
    private static Journal? _ambient;

    private readonly List<string> _entries = [];

    /// <summary>
    /// Journal of the scheduler running on this thread, for side effects of objects that hold no reference to the
    /// owner, such as a disposable value in a <c>using</c> statement.
    /// </summary>
    public static Journal? Ambient
    {
        get => _ambient;
        set => _ambient = value;
    }

    /// <summary>Entries in the order written.</summary>
    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>Appends an entry.</summary>
    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>Returns how many entries equal <paramref name="entry"/>.</summary>
    public int Count(string entry) => Entries.Count(e => e == entry);
}
