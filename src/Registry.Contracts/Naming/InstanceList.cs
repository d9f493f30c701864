namespace Registry.Contracts.Naming;

/// <summary>Response of <c>GET /v1/services/{service}/instances</c>.</summary>
public sealed record InstanceList
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string Service { get; init; }
    /// <summary>The revision of the last change to the service (0 for an unknown service).</summary>
    public required long Revision { get; init; }
    /// <summary>
    /// True when the healthy share fell to or below the service's protect threshold, so every enabled
    /// instance is returned, healthy or not.
    /// </summary>
    public required bool ProtectThresholdReached { get; init; }
    public required IReadOnlyList<InstanceInfo> Instances { get; init; }
}
