using Microsoft.Extensions.Options;

namespace Registry.Server.Naming;

/// <summary>The effective lease of an instance: its own overrides, else the server's defaults.</summary>
internal sealed class LeasePolicy(IOptions<NamingOptions> options)
{
    private readonly NamingOptions _options = options.Value;

    public TimeSpan HeartbeatInterval(ILeaseTerms record) =>
        Override(record.HeartbeatIntervalMs) ?? _options.HeartbeatInterval;

    public TimeSpan UnhealthyAfter(ILeaseTerms record) =>
        Override(record.UnhealthyAfterMs) ?? _options.UnhealthyAfter;

    public TimeSpan EvictAfter(ILeaseTerms record) =>
        Override(record.EvictAfterMs) ?? _options.EvictAfter;

    private static TimeSpan? Override(long? milliseconds) =>
        milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
