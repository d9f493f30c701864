using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

internal static class NamingFailures
{
    public static Failure ServiceNotFound(ServiceKey key) => new(
        StatusCodes.Status404NotFound, "service-not-found", "The service does not exist.",
        $"Service '{key.Name}' does not exist in group '{key.Group}' of namespace '{key.Namespace}'.");

    public static Failure InstanceNotFound(ServiceKey key, string id) => new(
        StatusCodes.Status404NotFound, "instance-not-found", "The instance is not registered.",
        $"Instance '{id}' is not registered in service '{key.Name}' (group '{key.Group}', namespace '{key.Namespace}'); register it again.");

    public static Failure NoInstanceAvailable(ServiceKey key, string? protocol = null) => new(
        StatusCodes.Status404NotFound, "no-instance-available", "No instance can be picked.",
        $"Service '{key.Name}' (group '{key.Group}', namespace '{key.Namespace}') has no healthy, enabled instance with a weight above 0"
        + (protocol is null ? "." : $" that serves '{protocol}'."));

    public static Failure ServiceNotEmpty(ServiceKey key, int instances) => new(
        StatusCodes.Status409Conflict, "service-not-empty", "The service still has instances.",
        $"Service '{key.Name}' still has {instances} instance(s); deregister them first.");

    public static Failure PersistentInstanceBeat(string id) => new(
        StatusCodes.Status409Conflict, "persistent-instance", "Persistent instances do not heartbeat.",
        $"Instance '{id}' is persistent: it stays until deleted and its health is set by admins, so it takes no heartbeats.");

    public static Failure EphemeralInstanceHealth(string id) => new(
        StatusCodes.Status409Conflict, "ephemeral-instance-health", "The health of an ephemeral instance comes from its heartbeats.",
        $"Instance '{id}' is ephemeral; only a persistent instance's health can be set.");

    public static Failure ProbeRefused(string field, string detail) => new(
        StatusCodes.Status400BadRequest, "probe-not-allowed", "The server may not probe this address.", detail, Errors(field, detail));

    public static Failure EphemeralHealthCheck()
    {
        const string detail = "'healthCheck' is for persistent instances; an ephemeral instance's health comes from its heartbeats.";
        return new(StatusCodes.Status400BadRequest, "ephemeral-instance-check", "Ephemeral instances are not health-checked.", detail,
            Errors("healthCheck", detail));
    }

    public static Failure CheckedInstanceHealth(string id) => new(
        StatusCodes.Status409Conflict, "health-checked-instance", "The health of this instance comes from its health check.",
        $"Instance '{id}' is health-checked by the server; set its service's or its own check to 'none' to set its health by hand.");

    /// <summary>A failure's field and rule, as validation failures carry them.</summary>
    private static Dictionary<string, object?> Errors(string field, string detail) =>
        new() { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } };
}
