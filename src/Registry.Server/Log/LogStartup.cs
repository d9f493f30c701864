using System.Diagnostics;

namespace Registry.Server.Log;

/// <summary>
/// Opens the log into the projections before anything else starts (the sweeper, then the HTTP server), so the first
/// request already sees every registration and no lease starts before the server does.
/// </summary>
internal sealed partial class LogStartup(IChangeLog log, ProjectionSet projections, ILogger<LogStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await log.OpenAsync(projections, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogLoaded(log.Revision, elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Loaded the registry at revision {Revision} in {ElapsedMs:F0} ms")]
    private partial void LogLoaded(long revision, double elapsedMs);
}
