using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Config;

/// <summary>
/// Age-based history retention: removes versions older than <see cref="ConfigOptions.HistoryMaxAge"/>,
/// never a key's current version. Count-based retention happens on publish.
/// </summary>
internal sealed partial class ConfigHistoryRetention(
    ConfigRegistry configs, Committer committer, IOptions<ConfigOptions> options, TimeProvider time,
    ILogger<ConfigHistoryRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.HistoryMaxAge <= TimeSpan.Zero)
        {
            return;
        }

        await Periodic.RunAsync(options.Value.RetentionInterval, time, TrimAsync, LogTrimFailed, stoppingToken);
    }

    /// <summary>One pass: finds, per key, the newest version past the age limit, then trims on the writer.</summary>
    public async Task TrimAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - options.Value.HistoryMaxAge;
        var trims = new List<(ConfigKey Key, long ThroughVersion)>();
        foreach (var (key, record) in configs.All)
        {
            var through = 0L;
            for (var version = record.FirstVersion; version < record.Version; version++)
            {
                if (configs.FindVersion(key, version) is not { } entry || entry.Time >= cutoff)
                {
                    break;
                }

                through = version;
            }

            if (through > 0)
            {
                trims.Add((key, through));
            }
        }

        if (trims.Count > 0)
        {
            await committer.ExecuteAsync(changes =>
            {
                foreach (var (key, through) in trims)
                {
                    if (configs.Find(key) is { } current)
                    {
                        configs.TrimHistory(changes, key, current, through);
                    }
                }

                return true;
            }, cancellationToken);
            LogTrimmed(trims.Count);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Removed old history of {Count} config items")]
    private partial void LogTrimmed(int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Config history retention failed")]
    private partial void LogTrimFailed(Exception exception);
}
