using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Roots;

/// <summary>
/// Runs the grain method of an Orleans request and returns the method's own task, which is the root of the
/// frames that a checkpoint captures.
/// </summary>
/// <remarks>
/// <see cref="IInvokable.Invoke"/> wraps the method's task in Orleans' response plumbing. The generated request
/// classes of Orleans 10.4.2 derive from <c>TaskRequest</c>, <c>TaskRequest&lt;T&gt;</c>, <c>Request</c>,
/// <c>Request&lt;T&gt;</c> or <c>VoidRequest</c>, each with a protected <c>InvokeInner</c> that calls the grain
/// method and returns its <see cref="Task"/>, <see cref="ValueTask"/> or nothing.
/// </remarks>
internal static class GrainMethodInvoker
{
    private static readonly ConcurrentDictionary<Type, Func<IInvokable, Task>> Invokers = new();

    /// <summary>Calls the grain method of a request whose target is set and returns its task.</summary>
    public static Task Invoke(IInvokable request)
    {
        try
        {
            return Invokers.GetOrAdd(request.GetType(), Create)(request);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private static Func<IInvokable, Task> Create(Type requestType)
    {
        var method = requestType.GetMethod("InvokeInner", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new NotSupportedException(
                $"The Orleans request type {requestType} has no InvokeInner method; immortal grains need the request "
                + "classes that Orleans 10 generates.");
        var returnType = method.ReturnType;
        return request =>
        {
            object? result;
            try
            {
                result = method.Invoke(request, null);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
                throw;
            }

            return result switch
            {
                Task task => task,
                ValueTask valueTask => valueTask.AsTask(),
                null when returnType == typeof(void) => Task.CompletedTask,
                _ => ToTask(result!),
            };
        };
    }

    private static Task ToTask(object valueTask)
    {
        var asTask = valueTask.GetType().GetMethod(nameof(ValueTask<int>.AsTask))
            ?? throw new NotSupportedException($"Cannot convert {valueTask.GetType()} to a task.");
        return (Task)asTask.Invoke(valueTask, null)!;
    }
}
