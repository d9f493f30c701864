using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

/// <summary>
/// Probes the data directory at every <see cref="StorageOptions.ProbeInterval"/>, so a directory that stops
/// taking writes (permissions taken away, a read-only or full disk) has writes refused promptly, and taken
/// again once it is back (and a fold into the data file that failed for want of room is retried), whether or
/// not anyone polls <c>/readyz</c>.
/// </summary>
internal sealed partial class StoreProbe(
    IChangeLog log, IOptions<StorageOptions> options, TimeProvider time, ILogger<StoreProbe> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.Value.ProbeInterval, time, ProbeAsync, LogProbeFailed, stoppingToken);

    private Task ProbeAsync(CancellationToken cancellationToken)
    {
        log.Probe();
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Probing the data directory failed")]
    private partial void LogProbeFailed(Exception exception);
}
