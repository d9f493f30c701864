using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Registry.Client.Http;

namespace Registry.Client.Telemetry;

/// <summary>
/// Whether the registry answers, as the client's calls find it. Each change is logged once (unreachable since…, with
/// the reason and no stack trace; reachable again after…), never per call, beat or retry, and shown by the gauge
/// <c>registry.client.registry.reachable</c>. A call that got any answer but a gateway error counts as reached.
/// </summary>
internal sealed partial class RegistryReachability : IDisposable
{
    private readonly ServerList _servers;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryReachability> _logger;
    private readonly IDisposable _gauge;
    private readonly DownSince _down = new();

    public RegistryReachability(ServerList servers, TimeProvider time, ILogger<RegistryReachability> logger)
    {
        _servers = servers;
        _time = time;
        _logger = logger;
        _gauge = RegistryClientMetrics.ObserveReachable(() => new Measurement<int>(UnreachableSince is null ? 1 : 0));
    }

    /// <summary>Since when no call has reached the registry; null while it answers.</summary>
    public DateTimeOffset? UnreachableSince => _down.Value;

    public void Reached()
    {
        if (_down.Up() is { } since)
        {
            var down = _time.GetUtcNow() - since;
            LogReachable(_servers, down);
        }
    }

    public void Failed(Exception? exception, HttpStatusCode? status = null)
    {
        if (_down.Down(_time.GetUtcNow()))
        {
            var reason = status is { } s ? $"{(int)s} {s}" : Reason(exception);
            LogUnreachable(_servers, reason);
        }
    }

    public void Dispose() => _gauge.Dispose();

    /// <summary>The innermost message: "Connection refused (127.0.0.1:8848)" rather than the wrappers around it.</summary>
    private static string Reason(Exception? exception)
    {
        var reason = exception;
        while (reason?.InnerException is { } inner)
        {
            reason = inner;
        }

        return reason?.Message ?? "no answer";
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "The registry at {Servers} is unreachable: {Reason}. Registration, resolution and configuration go on from what is known; this is logged again only once it answers")]
    private partial void LogUnreachable(ServerList servers, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "The registry at {Servers} answers again, after {Duration}")]
    private partial void LogReachable(ServerList servers, TimeSpan duration);
}
