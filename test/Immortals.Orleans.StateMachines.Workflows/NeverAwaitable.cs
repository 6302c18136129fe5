using System.Runtime.CompilerServices;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>A custom awaitable that never completes.</summary>
public readonly struct NeverAwaitable
{
    /// <summary>Returns the awaiter.</summary>
    public Awaiter GetAwaiter() => new(new object());

    /// <summary>A custom awaiter the engine does not support.</summary>
    public readonly struct Awaiter(object token) : INotifyCompletion
    {
        /// <summary>Never true.</summary>
        public bool IsCompleted => token is null;

        /// <summary>Drops the continuation.</summary>
        public void OnCompleted(Action continuation)
        {
        }

        /// <summary>Never called.</summary>
        public void GetResult()
        {
        }
    }
}
