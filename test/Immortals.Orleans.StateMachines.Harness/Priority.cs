namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>An enum used as a local in workflows.</summary>
[GenerateSerializer]
public enum Priority
{
    /// <summary>Low.</summary>
    Low = 0,

    /// <summary>High.</summary>
    High = 1,
}
