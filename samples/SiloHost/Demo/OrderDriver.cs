using Immortals.Orleans;
using SiloHost.Grains;

namespace SiloHost.Demo;

/// <summary>
/// Places orders from an Orleans client, each under a request id equal to its order id. A request that fails, or
/// whose silo died, is sent again under the same id: it attaches to the running or rebuilt workflow, or returns
/// its retained result, and never starts the workflow twice.
/// </summary>
public sealed class OrderDriver
{
    private const int MaxAttempts = 30;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IGrainFactory _grains;
    private readonly List<Task> _runs = [];

    /// <summary>Creates a driver for the orders.</summary>
    public OrderDriver(IGrainFactory grains, IEnumerable<OrderRequest> orders)
    {
        _grains = grains;
        Orders = [.. orders.Select(order => new TrackedOrder(order))];
    }

    /// <summary>The orders and their outcomes.</summary>
    public IReadOnlyList<TrackedOrder> Orders { get; }

    /// <summary>Number of orders with an outcome.</summary>
    public int Finished => Orders.Count(order => order.Outcome is not null);

    /// <summary>Starts every order without waiting.</summary>
    public void StartAll()
    {
        foreach (var order in Orders)
        {
            _runs.Add(Task.Run(() => RunAsync(order)));
        }
    }

    /// <summary>Completes when every order has an outcome, or fails with the error of an order that gave up.</summary>
    public Task WhenAllFinished() => Task.WhenAll(_runs);

    private async Task RunAsync(TrackedOrder order)
    {
        var workflow = _grains.GetGrain<IOrderWorkflowGrain>(order.Request.OrderId);
        while (true)
        {
            var resend = order.ResendRequested;
            order.Attempts++;
            var attempt = ImmortalRequests.InvokeAsync(
                workflow,
                order.Request.OrderId,
                grain => grain.Place(order.Request));
            var first = await Task.WhenAny(attempt, resend);
            if (first != attempt)
            {
                // The silo that ran the workflow died: the pending request may never get a response.
                _ = attempt.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);
                continue;
            }

            try
            {
                order.Outcome = await attempt;
                return;
            }
            catch (Exception exception) when (IsRetryable(exception) && order.Attempts < MaxAttempts)
            {
                order.LastError = exception;
                await Task.Delay(RetryDelay);
            }
        }
    }

    private static bool IsRetryable(Exception exception) =>
        exception is not (ImmortalRequestIdConflictException or ImmortalRequestExpiredException);
}
