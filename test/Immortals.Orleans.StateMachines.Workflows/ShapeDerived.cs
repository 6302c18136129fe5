namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Overrides an async virtual method and awaits the base implementation.</summary>
[GenerateSerializer]
public sealed class ShapeDerived : ShapeBase
{
    /// <summary>Offset added after the base computation.</summary>
    [Id(0)]
    public int Offset { get; set; }

    /// <inheritdoc />
    public override async Task<int> ComputeAsync(Workflows owner, int value)
    {
        var fromBase = await base.ComputeAsync(owner, value);
        var squared = await owner.Calls.Call<int>("square", fromBase);
        return squared + Offset;
    }
}
