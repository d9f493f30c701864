namespace Registry.Contracts.Naming;

/// <summary>
/// Where an instance's lease stands. Persistent instances hold none: their times are null and an admin (or a
/// health check) sets their health.
/// </summary>
/// <param name="Id">The instance's id.</param>
/// <param name="Ephemeral">Whether the instance holds a lease it renews by heartbeats.</param>
/// <param name="LastHeartbeatAt">When its last heartbeat (or registration) arrived.</param>
/// <param name="UnhealthyAt">When it turns unhealthy unless a heartbeat arrives first.</param>
/// <param name="EvictAt">When the sweeper evicts it unless a heartbeat arrives first.</param>
/// <param name="Owner">In a cluster, the node that judges its lease: the one its client beats to.</param>
public sealed record InstanceLease(
    string Id, bool Ephemeral, DateTimeOffset? LastHeartbeatAt, DateTimeOffset? UnhealthyAt, DateTimeOffset? EvictAt,
    string? Owner);
