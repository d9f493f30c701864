using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Registry.Client.Http;
using Registry.Client.Telemetry;
using Registry.Contracts;
using Registry.Contracts.Naming;

namespace Registry.Client.Discovery;

/// <summary>
/// One cache per service (and protocol), filled on first use and then kept by a background loop: the
/// registry's watch stream, resumed with <c>Last-Event-ID</c> after a drop and reconnected with backoff
/// (Polly), with a plain list read at every reconnect attempt so the cache stays fresh while the stream is
/// down. Failures never empty a cache.
/// </summary>
internal sealed partial class RegistryResolver : IRegistryResolver, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Service, string Protocol), ServiceCache> _caches = new();
    private readonly IHttpClientFactory _clients;
    private readonly RegistryClientOptions _options;
    private readonly ServerList _servers;
    private readonly SnapshotStore? _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryResolver> _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    public RegistryResolver(
        IHttpClientFactory clients, IOptions<RegistryClientOptions> options, ServerList servers, TimeProvider time,
        ILogger<RegistryResolver> logger)
    {
        _clients = clients;
        _servers = servers;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _snapshots = _options.Discovery.SnapshotDirectory is { Length: > 0 } directory ? new SnapshotStore(directory, logger) : null;
    }

    public ValueTask<IReadOnlyList<InstanceInfo>> ResolveAsync(string service, CancellationToken cancellationToken = default) =>
        ResolveAsync(service, null, cancellationToken);

    public async ValueTask<IReadOnlyList<InstanceInfo>> ResolveAsync(string service, string? protocol, CancellationToken cancellationToken = default)
    {
        var cache = Cache(service, protocol);
        return (cache.Current ?? await LoadAsync(cache, cancellationToken).ConfigureAwait(false)).Instances;
    }

    public async ValueTask<InstanceInfo?> PickAsync(string service, string? protocol = null, CancellationToken cancellationToken = default) =>
        WeightedPick.Pick(await ResolveAsync(service, protocol, cancellationToken).ConfigureAwait(false), Random.Shared);

    public IChangeToken GetChangeToken(string service, string? protocol = null) =>
        new CancellationChangeToken(Cache(service, protocol).ChangeToken);

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as IRegistryResolver, it may be disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var cache in _caches.Values)
        {
            if (cache.Loop is { } loop)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            cache.Dispose();
        }

        _stop.Dispose();
    }

    private ServiceCache Cache(string service, string? protocol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return _caches.GetOrAdd((service, protocol ?? ""), static key => new ServiceCache(key.Service, key.Protocol.Length == 0 ? null : key.Protocol));
    }

    /// <summary>The first read of a service: from the registry, else from its snapshot; then keeps it fresh.</summary>
    private async Task<InstanceList> LoadAsync(ServiceCache cache, CancellationToken cancellationToken)
    {
        await cache.FirstLoad.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (cache.Current is { } loaded)
            {
                return loaded;
            }

            try
            {
                var api = new RegistryApi(_clients.CreateClient(nameof(RegistryApi)), Options.Create(_options));
                Update(cache, await api.ListAsync(cache.Service, cache.Protocol, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
            {
                if (_snapshots?.Load(_options, cache.Service, cache.Protocol) is not { } saved)
                {
                    throw new RegistryUnavailableException($"The registry at {_servers} cannot be reached and nothing is known of '{cache.Service}'.", ex);
                }

                LogFromSnapshot(cache.Service, saved.Revision, ex);
                Update(cache, saved, save: false);
            }
            finally
            {
                cache.Loop ??= Task.Run(() => KeepFreshAsync(cache, _stop.Token), CancellationToken.None);
            }

            return cache.Current!;
        }
        finally
        {
            cache.FirstLoad.Release();
        }
    }

    private async Task KeepFreshAsync(ServiceCache cache, CancellationToken stop)
    {
        try
        {
            if (!_options.Discovery.Watch)
            {
                while (true)
                {
                    await Task.Delay(_options.Discovery.PollInterval, _time, stop).ConfigureAwait(false);
                    await PollAsync(cache, stop).ConfigureAwait(false);
                }
            }

            await EventStream.FollowAsync(
                () => _clients.CreateClient(EventStream.HttpClientName),
                RegistryUris.Relative(_options, RegistryApi.WatchPath(cache.Service), RegistryApi.ListQuery(cache.Protocol) + "&snapshot=true"),
                item =>
                {
                    if (item.EventType == "instances")
                    {
                        Update(cache, Deserialize(item));
                    }
                },
                _time,
                _options.Discovery.PollInterval,
                async args =>
                {
                    // While the watch is down, a plain read keeps the list fresh.
                    RegistryClientMetrics.WatchReconnects.Add(1);
                    LogWatchLost(cache.Service, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    await PollAsync(cache, args.Context.CancellationToken).ConfigureAwait(false);
                },
                stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The application is stopping.
        }
    }

    private async Task PollAsync(ServiceCache cache, CancellationToken cancellationToken)
    {
        try
        {
            var api = new RegistryApi(_clients.CreateClient(EventStream.HttpClientName), Options.Create(_options));
            Update(cache, await api.ListAsync(cache.Service, cache.Protocol, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            LogPollFailed(cache.Service, ex);
        }
    }

    private void Update(ServiceCache cache, InstanceList list, bool save = true)
    {
        var previous = cache.Current;
        if (previous is not null && previous.Revision == list.Revision && previous.Instances.Count == list.Instances.Count)
        {
            return;
        }

        cache.Current = list;
        if (save)
        {
            _snapshots?.Save(_options, cache.Service, cache.Protocol, list);
        }

        cache.SignalChange();
    }

    private static InstanceList Deserialize(SseItem<string> item) =>
        JsonSerializer.Deserialize(item.Data, RegistryJsonContext.Default.InstanceList)
            ?? throw new InvalidDataException("An instances event without a list.");

    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "The registry is unreachable; serving '{Service}' from its snapshot at revision {Revision}")]
    private partial void LogFromSnapshot(string service, long revision, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug,
        Message = "The watch of '{Service}' is down; reconnect attempt {Attempt} in {Delay}")]
    private partial void LogWatchLost(string service, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug,
        Message = "Could not refresh '{Service}'; serving the last known list")]
    private partial void LogPollFailed(string service, Exception exception);

    private sealed class ServiceCache(string service, string? protocol) : IDisposable
    {
        private InstanceList? _current;
        private CancellationTokenSource _changes = new();

        public string Service { get; } = service;

        public string? Protocol { get; } = protocol;

        public SemaphoreSlim FirstLoad { get; } = new(1, 1);

        public InstanceList? Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }

        /// <summary>Fires at the next change of the list.</summary>
        public CancellationToken ChangeToken => Volatile.Read(ref _changes).Token;

        public Task? Loop { get; set; }

        /// <summary>
        /// Fires the current token and arms a new one for the change after. The fired source is not disposed:
        /// a reader may still be taking its token, and a source without a timer holds nothing to release.
        /// </summary>
        public void SignalChange() => Interlocked.Exchange(ref _changes, new CancellationTokenSource()).Cancel();

        public void Dispose()
        {
            _changes.Dispose();
            FirstLoad.Dispose();
        }
    }
}
