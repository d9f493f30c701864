namespace Registry.Contracts.Naming;

/// <summary>Response of a heartbeat: when to beat next.</summary>
public sealed record HeartbeatResponse(long HeartbeatIntervalMs);
