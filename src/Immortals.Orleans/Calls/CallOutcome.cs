namespace Immortals.Orleans.Calls;

/// <summary>Result of a call or of a root: a value or an exception.</summary>
[GenerateSerializer]
internal sealed class CallOutcome
{
    /// <summary>The returned value, or <see langword="null"/> for methods without a result.</summary>
    [Id(0)]
    public object? Value { get; set; }

    /// <summary>The exception the method threw, or <see langword="null"/>.</summary>
    [Id(1)]
    public Exception? Exception { get; set; }

    /// <summary>Returns the outcome of a completed task.</summary>
    public static CallOutcome FromTask(Task task)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            return new CallOutcome { Exception = exception };
        }

        if (task.IsCanceled)
        {
            // The task of an async method that threw an OperationCanceledException rethrows that exception, with
            // its message; other canceled tasks throw a TaskCanceledException.
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException exception)
            {
                return new CallOutcome { Exception = exception };
            }

            return new CallOutcome { Exception = new TaskCanceledException(task) };
        }

        var resultProperty = task.GetType().GetProperty(nameof(Task<object>.Result));
        var value = resultProperty is null || resultProperty.PropertyType.Name == "VoidTaskResult"
            ? null
            : resultProperty.GetValue(task);
        return new CallOutcome { Value = value };
    }
}
