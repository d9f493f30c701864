using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>
/// A check the server runs against the persistent instances of a service (or one instance) and that decides their
/// health: a TCP connect, or an HTTP GET that must answer 2xx. Ephemeral instances live by their heartbeats and are
/// not checked. Fields left out take their default; answers carry every field.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HealthCheck
{
    /// <summary>
    /// <c>tcp</c>, <c>http</c>, or <c>none</c> (no check: health is set by an admin); on an instance also
    /// <c>service</c> (follow the service's check).
    /// </summary>
    public string? Type { get; init; }

    /// <summary>The port to probe, 1..65535; the instance's own port when left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Port { get; init; }

    /// <summary>For <c>http</c>: the path (and query) to GET, from <c>/</c>; default <c>/</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    /// <summary>How often each instance is probed, in ms; default 10000.</summary>
    public long? IntervalMs { get; init; }

    /// <summary>How long a probe may take before it counts as failed, in ms; below the interval; default 2000.</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>Consecutive failed probes before a healthy instance is marked unhealthy, 1..100; default 3.</summary>
    public int? UnhealthyThreshold { get; init; }

    /// <summary>Consecutive passed probes before an unhealthy instance is marked healthy, 1..100; default 2.</summary>
    public int? HealthyThreshold { get; init; }
}

/// <summary>The values of <see cref="HealthCheck.Type"/>.</summary>
public static class HealthCheckTypes
{
    public const string Tcp = "tcp";
    public const string Http = "http";
    public const string None = "none";
}
