namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An approval decision, delivered to a waiting workflow as a signal.</summary>
[GenerateSerializer]
public sealed record Decision([property: Id(0)] string Approver, [property: Id(1)] bool Approved);
