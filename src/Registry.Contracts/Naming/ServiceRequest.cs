using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>Body of <c>PUT /v1/services/{service}</c>: create or update a service.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ServiceRequest
{
    /// <summary>
    /// 0..1; when the healthy share of the service falls to or below it, lists return every enabled
    /// instance instead of only the healthy ones. 0 (the default) turns protection off.
    /// </summary>
    public double? ProtectThreshold { get; init; }

    /// <summary>Free string properties of the service.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// The check the server runs against the service's persistent instances; <c>{"type": "none"}</c> removes it.
    /// Every address it would probe must be in the server's allowed networks.
    /// </summary>
    public HealthCheck? HealthCheck { get; init; }
}
