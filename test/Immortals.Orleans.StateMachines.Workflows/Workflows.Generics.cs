using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Scenarios with generic methods and types, closures, and values of many types.</summary>
public sealed partial class Workflows
{
    /// <summary>A generic method, a static method of a generic type, and an instance method of a generic class.</summary>
    public async Task<string> GenericAsync()
    {
        var order = new Order(
            Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            12.5m,
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            Priority.High,
            "first");
        var echoed = await EchoAsync(order);
        var twice = await Steps<int>.TwiceAsync(this, 21);
        var tally = new Tally<string>();
        var count = await tally.AddAsync(this, "x");
        count = await tally.AddAsync(this, "y");
        return $"{echoed.Note} {string.Join(",", twice)} {count} {string.Join(",", tally.Items)}";
    }

    /// <summary>An async local function and async lambdas that capture locals and <c>this</c>.</summary>
    public async Task<string> ClosuresAsync()
    {
        var factor = 3;
        var offset = 100;

        async Task<int> ScaleAsync(int value)
        {
            var raised = await Calls.Call<int>("inc", value);
            return raised * factor;
        }

        var scaled = await ScaleAsync(4);
        factor = 5;
        var captured = await InvokeAsync(async v => await Calls.Call<int>("square", v) + offset + factor, 6);
        var uncaptured = await InvokeAsync(static async (owner, v) => await owner.Calls.Call<int>("inc", v), this, 7);
        return $"{scaled} {captured} {uncaptured} {factor}";
    }

    /// <summary>Records, structs, collections, nulls, decimal, Guid, DateTimeOffset and enums as locals.</summary>
    public async Task<string> ValuesAsync()
    {
        var order = new Order(
            Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            99.95m,
            new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-3)),
            Priority.Low,
            null);
        var point = new Point(3, 4);
        var orders = new List<Order> { order };
        var sameOrders = orders;
        var map = new Dictionary<string, int> { ["a"] = 1 };
        string? missing = null;
        var price = 12.345m;
        var key = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        var at = new DateTimeOffset(2025, 12, 31, 23, 59, 58, TimeSpan.Zero);
        var priority = Priority.High;
        int? maybe = null;
        var numbers = new[] { 1, 2, 3 };
        var letter = 'q';
        var big = 9_007_199_254_740_993L;
        var ratio = 0.1 + 0.2;
        var span = TimeSpan.FromMinutes(90);
        var local = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Local);
        var bytes = new byte[] { 0, 255, 7 };
        var pair = (Count: 2, Name: "pair");
        var day = DayOfWeek.Thursday;

        var priced = await Calls.Call<decimal>("price", price);
        sameOrders.Add(order with { Note = "copy" });
        await AppendAsync(orders, order);
        map["b"] = await Calls.Call<int>("inc", map["a"]);

        return $"{order.Key} {order.Amount} {order.PlacedAt:O} {order.Priority} {order.Note ?? "null"} {point} "
            + $"{orders.Count} {ReferenceEquals(orders, sameOrders)} {sameOrders[^1].Note} {map["b"]} {missing ?? "null"} "
            + $"{price} {priced} {key} {at:O} {priority} {maybe?.ToString() ?? "null"} {numbers.Sum()} "
            + $"{letter} {big} {ratio:R} {span} {local:O} {local.Kind} {Convert.ToHexString(bytes)} {pair} {day}";
    }

    /// <summary>Returns <paramref name="value"/> after a call that echoes it.</summary>
    public async Task<T> EchoAsync<T>(T value)
    {
        var back = await Calls.Call<T>("echo", value);
        Journal.Add("echo " + back);
        return back;
    }

    private static Task<int> InvokeAsync(Func<int, Task<int>> function, int value) => function(value);

    private static Task<int> InvokeAsync(Func<Workflows, int, Task<int>> function, Workflows owner, int value) =>
        function(owner, value);

    private async Task AppendAsync(List<Order> list, Order order)
    {
        var note = await Calls.Call<string>("text", list.Count);
        list.Add(order with { Note = note });
    }
}
