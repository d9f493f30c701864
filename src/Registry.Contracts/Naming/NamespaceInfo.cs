namespace Registry.Contracts.Naming;

/// <summary>A namespace with its counts.</summary>
public sealed record NamespaceInfo
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required string Description { get; init; }
    public required int ServiceCount { get; init; }
    public required int InstanceCount { get; init; }
    public required int HealthyCount { get; init; }
    /// <summary>Live config items.</summary>
    public int ConfigCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required long Revision { get; init; }
}
