using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Polly.Retry;
using Registry.Client.Http;
using Registry.Client.Telemetry;
using Registry.Contracts;
using Registry.Contracts.Config;
using YamlDotNet.Core;

namespace Registry.Client.Configuration;

/// <summary>
/// One config item of the registry as configuration keys. Loaded once at start, then kept current by the
/// registry's watch (resumed after a drop, reconnected with backoff through Polly). A document that does not
/// parse, a deletion and an unreachable registry all keep the last good values; only a good new version
/// replaces them, and then <see cref="IConfiguration"/> reloads (so <c>IOptionsMonitor</c> sees it).
/// </summary>
internal sealed class RegistryConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly string _dataId;
    private readonly RegistryConfigOptions _options;
    private readonly ServerList _servers;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _age;
    private readonly DownSince _watchDown = new();
    private Task? _watch;

    public RegistryConfigurationProvider(string dataId, RegistryConfigOptions options)
    {
        _dataId = dataId;
        _options = options;
        _servers = new ServerList(options.Server, options.Servers);
        var servers = _servers;
        _http = new HttpClient(new FailoverHandler(servers) { InnerHandler = options.CreateHandler?.Invoke() ?? new SocketsHttpHandler() }, disposeHandler: true)
        {
            BaseAddress = servers.First,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.Token is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // Who reads, as a gray release selects its clients.
        if (options.ClientId is { Length: > 0 } clientId)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(RegistryHeaders.ClientId, clientId);
        }

        if (options.Labels.Count > 0)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(
                RegistryHeaders.Labels, string.Join(',', options.Labels.Select(static label => $"{label.Key}={label.Value}")));
        }

        _age = RegistryClientMetrics.ObserveConfigAge(() => new Measurement<double>(
            StaleSince is { } since ? (_options.TimeProvider.GetUtcNow() - since).TotalSeconds : 0,
            new KeyValuePair<string, object?>("registry.config.data_id", _dataId)));
    }

    /// <summary>Since when the values may be out of date (the watch lost the registry); null while it follows the item.</summary>
    public DateTimeOffset? StaleSince => _watchDown.Value;

    /// <summary>The config item's data id.</summary>
    public string DataId => _dataId;

    /// <summary>Raised when the values stop or start again being known current (<see cref="StaleSince"/> changed).</summary>
    public event Action<RegistryConfigurationProvider>? FreshnessChanged;

    /// <summary>The version the values come from; 0 before the item was read.</summary>
    public long Version { get; private set; }

    /// <summary>Why the last version could not be used, if it could not.</summary>
    public string? LastError { get; private set; }

    public override void Load()
    {
        try
        {
            LoadAsync(_stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RegistryException && _options.Optional)
        {
            LastError = ex.Message;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException(
                $"Config '{_dataId}' could not be read from the registry at {_servers}: {ex.Message} (set Optional to start without it).", ex);
        }

        if (_options.ReloadOnChange)
        {
            _watch ??= Task.Run(() => WatchAsync(_stop.Token));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _watch?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping.
        }

        _age.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    public override string ToString() => $"Registry config '{_dataId}' ({_options.Namespace}/{_options.Group}, version {Version})";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await _http.GetAsync(Uri($"/v1/configs/{System.Uri.EscapeDataString(_dataId)}"), timeout.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // Not published yet: empty until it is.
            return;
        }

        await RegistryException.ThrowIfFailedAsync(response, timeout.Token).ConfigureAwait(false);
        var format = response.Headers.TryGetValues("X-Config-Format", out var formats) ? formats.First() : ConfigNames.Text;
        var version = response.Headers.TryGetValues("X-Config-Version", out var versions)
            && long.TryParse(versions.First(), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
        Apply(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false), format, version);
    }

    private Task WatchAsync(CancellationToken stop) => EventStream.FollowAsync(
        () => _http,
        Uri("/v1/configs/watch", $"dataId={System.Uri.EscapeDataString(_dataId)}&snapshot=true"),
        OnEvent,
        _options.TimeProvider,
        _options.MaxReconnectDelay,
        OnReconnect,
        stop,
        OnConnected);

    /// <summary>The watch broke: the values may be out of date until it is connected again.</summary>
    private ValueTask OnReconnect(OnRetryArguments<object> args)
    {
        RegistryClientMetrics.WatchReconnects.Add(1);
        if (_watchDown.Down(_options.TimeProvider.GetUtcNow()))
        {
            FreshnessChanged?.Invoke(this);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The watch follows the item again: what changed meanwhile comes right after.</summary>
    private void OnConnected()
    {
        if (_watchDown.Up() is not null)
        {
            FreshnessChanged?.Invoke(this);
        }
    }

    private void OnEvent(SseItem<string> item)
    {
        if (item.EventType != "config"
            || JsonSerializer.Deserialize(item.Data, RegistryJsonContext.Default.ConfigEvent) is not { } change
            || change.Version == Version)
        {
            return;
        }

        if (change.Content is null || change.Op == ConfigNames.Delete)
        {
            LastError = $"Version {change.Version} deleted the item; the last values stay.";
        }
        else
        {
            Apply(change.Content, change.Format, change.Version);
        }
    }

    /// <summary>Replaces the values with a good document's and reloads; a bad one is refused and the values stay.</summary>
    private void Apply(string content, string format, long version)
    {
        Dictionary<string, string?> parsed;
        try
        {
            parsed = ConfigDocumentParser.Parse(content, format, _options.SectionPrefix);
        }
        catch (Exception ex) when (ex is JsonException or YamlException or FormatException)
        {
            LastError = $"Version {version} is not valid {format}: {ex.Message}; the last values stay.";
            return;
        }

        Data = parsed;
        Version = version;
        LastError = null;
        OnReload();
    }

    private Uri Uri(string path, string? query = null) =>
        RegistryUris.Relative(new RegistryClientOptions { Namespace = _options.Namespace, Group = _options.Group }, path, query);
}
