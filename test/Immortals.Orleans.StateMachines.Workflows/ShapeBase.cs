namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>A serializable base class with an async virtual method.</summary>
[GenerateSerializer]
public class ShapeBase
{
    /// <summary>Factor applied to results.</summary>
    [Id(0)]
    public int Scale { get; set; } = 1;

    /// <summary>Raises a value through a call and scales it.</summary>
    public virtual async Task<int> ComputeAsync(Workflows owner, int value)
    {
        var raised = await owner.Calls.Call<int>("inc", value);
        owner.Journal.Add("base " + raised);
        return raised * Scale;
    }
}
