using Immortals.Orleans.StateMachines;

namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Pending calls that workflows await, standing in for calls to other grains. Each call is a leaf with an id;
/// the test completes leaves one at a time with <see cref="Responder"/>.
/// </summary>
public sealed class LeafCalls
{
    private readonly SortedDictionary<long, Entry> _entries = [];
    private readonly object _gate = new();
    private long _lastId;

    /// <summary>Number of calls made or restored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Restores the calls saved with a capture; their tasks are created when a rebuild requests them.</summary>
    public static LeafCalls Restore(IEnumerable<LeafCall> calls)
    {
        var restored = new LeafCalls();
        foreach (var call in calls)
        {
            restored._entries.Add(call.Id, new Entry(call with { }));
            restored._lastId = Math.Max(restored._lastId, call.Id);
        }

        return restored;
    }

    /// <summary>Returns whether an async method is the pass-through wrapper of <see cref="CallFiltered{T}"/>.</summary>
    internal static FrameRole Classify(AsyncMethodIdentity method) =>
        method.DeclaringType == typeof(LeafCalls).FullName && method.Method == nameof(InvokeWithFilterAsync)
            ? FrameRole.PassThrough
            : FrameRole.Capture;

    /// <summary>Makes a call whose result is a <typeparamref name="T"/>.</summary>
    public Task<T> Call<T>(string operation, params object?[] arguments) => (Task<T>)Add(operation, arguments, typeof(T)).Task;

    /// <summary>Makes a call without a result.</summary>
    public Task Send(string operation, params object?[] arguments) => Add(operation, arguments, typeof(object)).Task;

    /// <summary>Makes a call and returns it as a value task over the leaf's task.</summary>
    public ValueTask<T> CallValue<T>(string operation, params object?[] arguments) => new(Call<T>(operation, arguments));

    /// <summary>
    /// Makes a call through an async wrapper, like a call that passes Orleans' filter frames: the task the caller
    /// gets is the wrapper's, not the leaf's.
    /// </summary>
    public Task<T> CallFiltered<T>(string operation, params object?[] arguments) => InvokeWithFilterAsync(Call<T>(operation, arguments));

    /// <summary>Returns the id of the oldest call without an outcome that has a task, or null.</summary>
    public long? OldestPending()
    {
        lock (_gate)
        {
            foreach (var (id, entry) in _entries)
            {
                if (!entry.Call.IsCompleted && entry.Source is not null)
                {
                    return id;
                }
            }

            return null;
        }
    }

    /// <summary>Completes a call with the outcome <see cref="Responder"/> computes for it.</summary>
    public void Complete(long id)
    {
        Entry entry;
        lock (_gate)
        {
            entry = _entries[id];
        }

        try
        {
            var result = Responder.Respond(entry.Call);
            entry.Call.Result = result;
            entry.Call.IsCompleted = true;
            entry.Source!.SetResult(result);
        }
        catch (InvalidOperationException error)
        {
            entry.Call.Error = error;
            entry.Call.IsCompleted = true;
            entry.Source!.SetException(error);
        }
    }

    /// <summary>Adds every call's task to a capture request as a leaf, completed or not.</summary>
    internal FrameCaptureRequest AddLeaves(FrameCaptureRequest request)
    {
        lock (_gate)
        {
            foreach (var (id, entry) in _entries)
            {
                if (entry.Source is not null)
                {
                    request.AddLeaf(id, entry.Source.Task);
                }
            }
        }

        return request;
    }

    /// <summary>Returns the task of a call made or rebuilt in this run.</summary>
    public Task TaskOf(long id)
    {
        lock (_gate)
        {
            return _entries[id].Source?.Task ?? throw new InvalidOperationException($"Call {id} has no task in this run.");
        }
    }

    /// <summary>Returns copies of all calls, for saving with a capture.</summary>
    public LeafCall[] Save()
    {
        lock (_gate)
        {
            return _entries.Values.Select(e => e.Call with { }).ToArray();
        }
    }

    /// <summary>Creates the task of a restored call for a rebuild, completed when the call already has an outcome.</summary>
    internal Task CreateLeaf(LeafRequest request)
    {
        lock (_gate)
        {
            var entry = _entries[request.LeafId];
            entry.Source = LeafSource.Create(request.ResultType ?? typeof(object));
            if (entry.Call.Error is { } error)
            {
                entry.Source.SetException(error);
            }
            else if (entry.Call.IsCompleted)
            {
                entry.Source.SetResult(entry.Call.Result);
            }

            return entry.Source.Task;
        }
    }

    private static async Task<T> InvokeWithFilterAsync<T>(Task<T> call) => await call;

    private LeafSource Add(string operation, object?[] arguments, Type resultType)
    {
        lock (_gate)
        {
            var id = ++_lastId;
            var entry = new Entry(new LeafCall(id, operation, arguments)) { Source = LeafSource.Create(resultType) };
            _entries.Add(id, entry);
            return entry.Source;
        }
    }

    private sealed class Entry(LeafCall call)
    {
        public LeafCall Call { get; } = call;

        public LeafSource? Source { get; set; }
    }
}
