namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>An untyped handle on a <see cref="TaskCompletionSource{TResult}"/> of any result type.</summary>
public abstract class LeafSource
{
    /// <summary>The leaf's task, a <see cref="Task{TResult}"/>.</summary>
    public abstract Task Task { get; }

    /// <summary>Creates a source whose task is a <c>Task&lt;resultType&gt;</c>.</summary>
    public static LeafSource Create(Type resultType) =>
        (LeafSource)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(resultType))!;

    /// <summary>Completes the task with <paramref name="result"/>.</summary>
    public abstract void SetResult(object? result);

    /// <summary>Fails the task with <paramref name="error"/>.</summary>
    public abstract void SetException(Exception error);

    private sealed class Typed<T> : LeafSource
    {
        private readonly TaskCompletionSource<T> _source = new();

        public override Task Task => _source.Task;

        public override void SetResult(object? result) => _source.SetResult((T)result!);

        public override void SetException(Exception error) => _source.SetException(error);
    }
}
