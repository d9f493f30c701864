namespace Registry.Server.Probes;

/// <summary>How an instance is checked: connect over TCP, or GET over HTTP expecting a 2xx answer.</summary>
internal enum ProbeKind
{
    Tcp,
    Http,
}

/// <summary>
/// A health check of a persistent instance.
/// </summary>
/// <param name="Kind">TCP connect, or HTTP GET expecting 2xx.</param>
/// <param name="Port">The port to probe; the instance's own when null.</param>
/// <param name="Path">The HTTP path (from <c>/</c>); ignored for TCP.</param>
/// <param name="Interval">How often the instance is probed.</param>
/// <param name="Timeout">How long a probe may take before it counts as failed.</param>
/// <param name="FailuresToUnhealthy">Consecutive failures before a healthy instance is marked unhealthy.</param>
/// <param name="SuccessesToHealthy">Consecutive successes before an unhealthy instance is marked healthy.</param>
internal sealed record ProbeDefinition(
    ProbeKind Kind, int? Port, string Path, TimeSpan Interval, TimeSpan Timeout, int FailuresToUnhealthy, int SuccessesToHealthy);

/// <summary>
/// The outcome of one probe: whether it passed, and what was seen (for logs and the audit). An inconclusive probe
/// failed on this server's side (out of sockets or buffers): it says nothing about the instance and counts for no
/// verdict.
/// </summary>
internal readonly record struct ProbeResult(bool Passed, string Detail, bool Inconclusive = false)
{
    public static ProbeResult Local(string detail) => new(false, detail, Inconclusive: true);
}
