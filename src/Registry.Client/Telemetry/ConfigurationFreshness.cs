using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Client.Configuration;

namespace Registry.Client.Telemetry;

/// <summary>
/// The config items of the application's configuration (<c>AddRegistryConfig</c>), and whether their values are
/// known current: logs each item going stale (its watch lost the registry; the last values stay) and being current
/// again, once each. Configuration providers are built before the host's logging exists; this runs in the host.
/// </summary>
internal sealed partial class ConfigurationFreshness(IConfiguration configuration, ILogger<ConfigurationFreshness> logger)
    : IHostedService
{
    /// <summary>The application's config items.</summary>
    public IReadOnlyList<RegistryConfigurationProvider> Items { get; } =
        configuration is IConfigurationRoot root ? [.. root.Providers.OfType<RegistryConfigurationProvider>()] : [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var item in Items)
        {
            item.FreshnessChanged += OnChanged;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var item in Items)
        {
            item.FreshnessChanged -= OnChanged;
        }

        return Task.CompletedTask;
    }

    private void OnChanged(RegistryConfigurationProvider item)
    {
        if (item.StaleSince is { } since)
        {
            LogStale(item.DataId, since, item.Version);
        }
        else
        {
            LogFresh(item.DataId, item.Version);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Configuration '{DataId}' may be out of date since {Since:O}: its watch lost the registry; the values of version {Version} stay")]
    private partial void LogStale(string dataId, DateTimeOffset since, long version);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Configuration '{DataId}' is current again, at version {Version}")]
    private partial void LogFresh(string dataId, long version);
}
