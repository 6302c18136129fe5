namespace Immortals.Orleans.Calls;

/// <summary>
/// The task that a frame awaits for one call, typed as the frame expects it: <c>Task&lt;object&gt;</c> for the
/// first run, where the call filter converts the value, and <c>Task&lt;T&gt;</c> of the method's result type for a
/// rebuilt frame.
/// </summary>
internal abstract class LeafCompletion
{
    /// <summary>The task the frame awaits.</summary>
    public abstract Task Task { get; }

    /// <summary>Creates a completion whose task has the given result type.</summary>
    public static LeafCompletion Create(Type? resultType)
    {
        var type = typeof(Typed<>).MakeGenericType(resultType ?? typeof(object));
        return (LeafCompletion)Activator.CreateInstance(type)!;
    }

    /// <summary>Completes the task with the outcome. Continuations run asynchronously.</summary>
    public abstract void Complete(CallOutcome outcome);

    /// <summary>Cancels the task with <paramref name="token"/>, as a canceled awaited API would.</summary>
    public abstract void Cancel(CancellationToken token);

    private sealed class Typed<T> : LeafCompletion
    {
        private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task Task => _source.Task;

        public override void Complete(CallOutcome outcome)
        {
            if (outcome.Exception is not null)
            {
                _source.TrySetException(outcome.Exception);
                return;
            }

            _source.TrySetResult(outcome.Value is null ? default! : (T)outcome.Value);
        }

        public override void Cancel(CancellationToken token) => _source.TrySetCanceled(token);
    }
}
