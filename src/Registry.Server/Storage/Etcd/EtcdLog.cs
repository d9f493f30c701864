using System.Collections.Concurrent;
using System.Globalization;
using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage.Etcd;

/// <summary>
/// The change log of a cluster: etcd orders and keeps it, every node follows it. An append is one etcd transaction
/// (<see cref="EtcdTransaction"/>), so the registry revision is etcd's, one sequence for all nodes; every node,
/// the writer included, applies entries only as its watch of <see cref="EtcdKeys.Log"/> delivers them, in revision
/// order, and an append is answered once its own node has applied it.
/// </summary>
/// <remarks>
/// A node that loses etcd (no quorum, or cut off) refuses writes at once with 503 and keeps serving what it applied,
/// marked stale; it finds its way back by itself. A node that falls behind etcd's compaction cannot catch up entry by
/// entry and stops, to be restarted from the current state.
/// </remarks>
internal sealed partial class EtcdLog : IChangeLog, IAsyncDisposable
{
    /// <summary>How often the members are asked whether they have a quorum, and a node lost is retried.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a node that cannot reach etcd at start keeps trying before it gives up.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Asks a member to end a stream when it has no leader, so a node on the wrong side of a partition notices.</summary>
    public static readonly Grpc.Core.Metadata RequireLeader = new() { { "hasleader", "true" } };

    private readonly EtcdOptions _options;
    private readonly ChangeCodec _codec;
    private readonly StoreMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<EtcdLog> _logger;
    private readonly EtcdClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, PendingChange> _pending = new(StringComparer.Ordinal);
    private ILogSink _sink = null!;
    private long _applied;
    private TaskCompletionSource _progress = NewSignal();
    private Task _follower = Task.CompletedTask;
    private Task _checker = Task.CompletedTask;
    private string? _unavailable;
    private volatile bool _lastWriteFailed;
    private int _disposed;

    public EtcdLog(
        IOptions<StorageOptions> options, ChangeCodec codec, StoreMetrics metrics, TimeProvider time, IHostApplicationLifetime lifetime,
        ILogger<EtcdLog> logger)
    {
        _options = options.Value.Etcd;
        _codec = codec;
        _metrics = metrics;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _client = Connect(_options);
        Kv = _client.GetConnection().KVClient;
        WaitUntilAnswering();
    }

    public long Revision => Interlocked.Read(ref _applied);

    public ReadPoint ReadPoint => new(Interlocked.Read(ref _applied), 0);

    /// <summary>Whether writes are taken now: read on every beat, so without building a <see cref="LogHealth"/>.</summary>
    public bool CanWrite => Volatile.Read(ref _unavailable) is null;

    public LogHealth Health => Volatile.Read(ref _unavailable) is { } problem
        ? new(false, problem, Revision, _lastWriteFailed, Stale: true)
        : new(true, null, Revision, _lastWriteFailed);

    /// <summary>The members' key-value service, for what else the node keeps in etcd (its lease, its ownerships).</summary>
    public KV.KVClient Kv { get; }

    public EtcdClient Client => _client;

    public async Task OpenAsync(ILogSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        long revision;
        try
        {
            revision = await CurrentRevisionAsync(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new StartupException($"etcd at {_options.Endpoints} stopped answering as the node started ({Describe(ex)}).", ex);
        }

        // Every document as of one revision; the watch goes on right after it.
        sink.Load(new EtcdDocumentReader(Kv, revision, _options.RequestTimeout, _time), revision);
        _applied = revision;
        LogOpened(_options.Endpoints, revision);
        _follower = Task.Run(FollowAsync, CancellationToken.None);
        _checker = Task.Run(CheckAsync, CancellationToken.None);
    }

    public async Task<Appended> AppendAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _unavailable) is { } problem)
            {
                throw new StoreUnavailableException(
                    $"The cluster store cannot take writes now ({problem}); the change was not applied. Reads keep serving what this node has applied; retry the write later.");
            }

            var txn = EtcdTransaction.Build(proposal, _codec.Encode(proposal.Changes, proposal.Audit), _options);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            TxnResponse response;
            try
            {
                response = await Kv.TxnAsync(txn, deadline: Deadline(), cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                _metrics.CommitFailures.Inc();
                _lastWriteFailed = true;
                LogCommitFailed(ex.Status.StatusCode, ex.Status.Detail);
                if (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    // Until the next check reaches a quorum: writes are refused at once, reads marked stale.
                    MarkUnavailable($"etcd has no quorum or cannot be reached: {Describe(ex)}");
                }

                // Sent, but not confirmed: etcd may still commit it.
                throw new StoreUnavailableException(
                    $"The cluster store did not confirm the change ({Describe(ex)}), so it is not acknowledged; it may still take effect. Read it back before retrying, or retry with If-Match.",
                    ex);
            }

            _metrics.Commits.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            _lastWriteFailed = false;
            if (!response.Succeeded)
            {
                return new Appended(0, EtcdTransaction.Conflict(response));
            }

            // Committed: the next writer of these keys on this node may build on it before the watch brings it back.
            var revision = response.Header.Revision;
            Remember(proposal, revision);
            proposal.Accepted();
            try
            {
                await WaitForAsync(revision, cancellationToken);
            }
            catch (StoreUnavailableException ex)
            {
                throw new StoreUnavailableException(
                    $"The change was committed at revision {revision}, but this node has not received it back from the cluster store yet; it will show once it has. Read it back before retrying.", ex);
            }

            return new Appended(revision);
        }
        finally
        {
            // Writers of the same key take turns until it is applied: the next one decides on it.
            proposal.Accepted();
        }
    }

    /// <summary>
    /// A change this node committed and has not applied yet. Only this node's: another node's changes are seen once
    /// applied, and a decision that missed one fails its compare and is made again.
    /// </summary>
    public PendingChange? Pending(string key) => _pending.GetValueOrDefault(key);

    /// <summary>Bounded: a node that cannot follow the log (cut off) says so instead of holding its callers.</summary>
    public async Task WaitForAsync(long revision, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout * 2, _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            while (true)
            {
                var progress = Volatile.Read(ref _progress);
                if (Interlocked.Read(ref _applied) >= revision)
                {
                    return;
                }

                await progress.Task.WaitAsync(bounded.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"This node has applied revision {Revision} and has not received revision {revision} from the cluster store yet; retry, or use another node."));
        }
    }

    public Task<IDocumentReader> ReadStoreAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IDocumentReader>(new EtcdDocumentReader(Kv, revision: 0, _options.RequestTimeout, _time));

    public Task<Backup> BackupAsync(CancellationToken cancellationToken) =>
        throw new StoreUnavailableException(
            "In cluster mode the registry lives in etcd: back it up with 'etcdctl snapshot save' (see docs/cluster.md).");

    public string? Probe() => Volatile.Read(ref _unavailable);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_follower, _checker);
        _client.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Follows the log from the applied revision on, applying each entry the watch delivers; a broken watch is opened
    /// again from where it stopped, so nothing is missed or applied twice.
    /// </summary>
    private async Task FollowAsync()
    {
        var broken = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var call = _client.GetConnection().WatchClient.Watch(RequireLeader, cancellationToken: _stop.Token);
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = EtcdKeys.Log, StartRevision = Revision + 1, ProgressNotify = true },
                }, _stop.Token);
                await foreach (var response in call.ResponseStream.ReadAllAsync(_stop.Token))
                {
                    if (response.CompactRevision > 0)
                    {
                        LogFellBehind(Revision, response.CompactRevision);
                        MarkUnavailable("this node fell behind the compacted log and stops, to be started again from the current state");
                        _lifetime.StopApplication();
                        return;
                    }

                    if (response.Canceled)
                    {
                        throw new RpcException(new Status(StatusCode.Unavailable, response.CancelReason));
                    }

                    if (broken && response.Created)
                    {
                        broken = false;
                        LogFollowing(Revision);
                    }

                    Apply(response);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke it, the watch is opened again from the last applied revision.
                if (!broken)
                {
                    broken = true;
                    LogWatchBroken(Revision, ex.Message);
                }

                await DelayAsync(CheckInterval);
            }
        }
    }

    private void Apply(WatchResponse response)
    {
        var applied = Revision;
        var entries = new List<LogEntry>(response.Events.Count);
        foreach (var change in response.Events)
        {
            if (change.Type == Mvccpb.Event.Types.EventType.Put && change.Kv.ModRevision > applied)
            {
                entries.Add(_codec.Decode(change.Kv.ModRevision, change.Kv.Value.Span));
            }
        }

        if (entries.Count == 0)
        {
            return;
        }

        _sink.Apply(entries);
        Interlocked.Exchange(ref _applied, entries[^1].Revision);
        Forget(entries[^1].Revision);
        Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
    }

    private void Remember(Proposal proposal, long revision)
    {
        var keys = proposal.WrittenKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is { } key)
            {
                _pending.AddOrUpdate(key, new PendingChange(revision, proposal.Changes[i]),
                    (_, known) => known.Revision > revision ? known : new PendingChange(revision, proposal.Changes[i]));
            }
        }

        // Applied meanwhile: nothing is pending any more.
        if (Revision >= revision)
        {
            Forget(Revision);
        }
    }

    /// <summary>Applied through <paramref name="revision"/>: what this node committed up to it is no longer pending.</summary>
    private void Forget(long revision)
    {
        foreach (var pending in _pending)
        {
            if (pending.Value.Revision <= revision)
            {
                _pending.TryRemove(pending);
            }
        }
    }

    /// <summary>
    /// Asks the members every second for a linearizable read: one that succeeds proves a quorum answers this node;
    /// writes are refused, and reads marked stale, from the first failure to the next success.
    /// </summary>
    private async Task CheckAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? problem = null;
            try
            {
                await Kv.RangeAsync(
                    new RangeRequest { Key = EtcdKeys.Log, CountOnly = true },
                    deadline: (_time.GetUtcNow() + Min(_options.RequestTimeout, CheckInterval * 2)).UtcDateTime,
                    cancellationToken: _stop.Token);
            }
            catch (RpcException ex) when (!_stop.IsCancellationRequested)
            {
                problem = $"etcd has no quorum or cannot be reached: {Describe(ex)}";
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (problem is not null)
            {
                MarkUnavailable(problem);
            }
            else if (Interlocked.Exchange(ref _unavailable, null) is not null)
            {
                LogAvailableAgain(Revision);
            }

            await DelayAsync(CheckInterval);
        }
    }

    private void MarkUnavailable(string problem)
    {
        if (Interlocked.Exchange(ref _unavailable, problem) is null)
        {
            LogUnavailable(problem);
        }
    }

    /// <summary>
    /// Waits, at construction, until a quorum answers (a node started with its members, or before them, waits for
    /// them), so that a node that cannot reach etcd fails before it starts, with one line saying why.
    /// </summary>
    private void WaitUntilAnswering()
    {
        var started = _time.GetTimestamp();
        var lastSaid = long.MinValue;
        while (true)
        {
            try
            {
                _ = CurrentRevisionAsync(CancellationToken.None).GetAwaiter().GetResult();
                return;
            }
            catch (RpcException ex) when (_time.GetElapsedTime(started) < StartTimeout)
            {
                // Once at first, then every ten seconds.
                if (lastSaid == long.MinValue || _time.GetElapsedTime(lastSaid) >= TimeSpan.FromSeconds(10))
                {
                    lastSaid = _time.GetTimestamp();
                    LogWaitingAtStart(_options.Endpoints, Describe(ex));
                }

                Task.Delay(CheckInterval, _time).GetAwaiter().GetResult();
            }
            catch (RpcException ex)
            {
                throw new StartupException(
                    $"etcd at {_options.Endpoints} did not answer for {StartTimeout.TotalSeconds:F0} s ({Describe(ex)}). Check Registry:Storage:Etcd:Endpoints and that the members have a quorum.",
                    ex);
            }
        }
    }

    private async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken) =>
        (await Kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Log, CountOnly = true }, deadline: Deadline(), cancellationToken: cancellationToken))
        .Header.Revision;

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>When a call to the members started now gives up.</summary>
    public DateTime Deadline() => (_time.GetUtcNow() + _options.RequestTimeout).UtcDateTime;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public static string Describe(RpcException ex) => string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : ex.Status.Detail;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// One client for every member: calls are balanced over those that answer; messages as large as a page of
    /// documents; streams that go silent (a member gone without a word) found out by keep-alive pings.
    /// </summary>
    private static EtcdClient Connect(EtcdOptions options) =>
        new(options.Endpoints, configureChannelOptions: channel =>
        {
            channel.MaxReceiveMessageSize = 256 * 1024 * 1024;
            channel.MaxSendMessageSize = 64 * 1024 * 1024;
            channel.HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
        });

    [LoggerMessage(EventId = 1060, Level = LogLevel.Information, Message = "Following the change log in etcd at {Endpoints} from revision {Revision}")]
    private partial void LogOpened(string endpoints, long revision);

    [LoggerMessage(EventId = 1061, Level = LogLevel.Warning, Message = "etcd at {Endpoints} does not answer yet ({Reason}); trying again")]
    private partial void LogWaitingAtStart(string endpoints, string reason);

    [LoggerMessage(EventId = 1062, Level = LogLevel.Error,
        Message = "The cluster store cannot take writes ({Problem}); writes are refused and reads marked stale until it can")]
    private partial void LogUnavailable(string problem);

    [LoggerMessage(EventId = 1063, Level = LogLevel.Information, Message = "The cluster store takes writes again; applied through revision {Revision}")]
    private partial void LogAvailableAgain(long revision);

    [LoggerMessage(EventId = 1064, Level = LogLevel.Warning, Message = "The watch of the change log broke after revision {Revision} ({Reason}); reopening it")]
    private partial void LogWatchBroken(long revision, string reason);

    [LoggerMessage(EventId = 1065, Level = LogLevel.Information, Message = "Following the change log again from revision {Revision}")]
    private partial void LogFollowing(long revision);

    [LoggerMessage(EventId = 1066, Level = LogLevel.Critical,
        Message = "This node applied through revision {Revision}, but etcd compacted the log through {Compacted}: it cannot catch up entry by entry and stops, to start again from the current state")]
    private partial void LogFellBehind(long revision, long compacted);

    [LoggerMessage(EventId = 1067, Level = LogLevel.Warning, Message = "A commit to the cluster store failed ({Status}: {Detail})")]
    private partial void LogCommitFailed(StatusCode status, string detail);
}
