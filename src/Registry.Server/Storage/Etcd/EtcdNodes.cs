using System.Collections.Frozen;
using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage.Etcd;

/// <summary>
/// This node's membership of the cluster: an etcd lease it keeps alive (keep-alives are not raft writes) with its key
/// <c>registry/nodes/&lt;id&gt;</c> attached, and the set of nodes whose keys exist. When a node stops renewing its lease,
/// etcd deletes its key and the others see it gone.
/// </summary>
internal sealed partial class EtcdNodes : IClusterNodes, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly EtcdLog _log;
    private readonly EtcdOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EtcdNodes> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _lease;
    private long _renewedAt;
    private volatile FrozenSet<string> _live = FrozenSet<string>.Empty;

    public EtcdNodes(
        EtcdLog log, IOptions<StorageOptions> storage, IOptions<ClusterOptions> cluster, IConfiguration configuration, TimeProvider time,
        ILogger<EtcdNodes> logger)
    {
        _log = log;
        _options = storage.Value.Etcd;
        _time = time;
        _logger = logger;
        Self = string.IsNullOrWhiteSpace(cluster.Value.NodeId) ? DefaultId(configuration) : cluster.Value.NodeId.Trim();
    }

    public string? Self { get; }

    public bool CanDecide =>
        _log.CanWrite && _time.GetElapsedTime(Interlocked.Read(ref _renewedAt)) < _options.NodeLeaseTtl - RefreshInterval;

    public IReadOnlySet<string> Live => _live;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await JoinAsync(cancellationToken);
            await RefreshLiveAsync(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new StartupException(
                $"Node {Self} could not join the cluster: etcd at {_options.Endpoints} did not answer ({EtcdLog.Describe(ex)}). Check that the members have a quorum.",
                ex);
        }

        LogJoined(Self!, _live.Count);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop;

        // Leaving on purpose: the others take its instances over now, not after the lease's time-to-live.
        try
        {
            await _log.Client.GetConnection().LeaseClient.LeaseRevokeAsync(
                new LeaseRevokeRequest { ID = Interlocked.Read(ref _lease) }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException)
        {
            // The lease expires by itself.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop;
        _stop.Dispose();
    }

    /// <summary>Takes a lease and puts this node's key with it; another live node with the same id is an error.</summary>
    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        var connection = _log.Client.GetConnection();
        var started = _time.GetTimestamp();
        while (true)
        {
            var grant = await connection.LeaseClient.LeaseGrantAsync(
                new LeaseGrantRequest { TTL = (long)_options.NodeLeaseTtl.TotalSeconds }, deadline: Deadline(), cancellationToken: cancellationToken);
            var key = EtcdKeys.Node(Self!);
            var txn = new TxnRequest();
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = EtcdKeys.Utf8(_time.GetUtcNow().ToString("O")), Lease = grant.ID } });
            var response = await _log.Kv.TxnAsync(txn, deadline: Deadline(), cancellationToken: cancellationToken);
            if (response.Succeeded)
            {
                Interlocked.Exchange(ref _lease, grant.ID);
                Interlocked.Exchange(ref _renewedAt, _time.GetTimestamp());
                return;
            }

            // The key of this id exists: this node's previous life, until its lease runs out, or another node.
            await connection.LeaseClient.LeaseRevokeAsync(new LeaseRevokeRequest { ID = grant.ID }, deadline: Deadline(), cancellationToken: cancellationToken);
            if (_time.GetElapsedTime(started) > _options.NodeLeaseTtl * 2)
            {
                throw new StartupException(
                    $"Another live node of the cluster has the id '{Self}'. Give each node its own with Registry:Cluster:NodeId.");
            }

            LogWaitingForId(Self!);
            await Task.Delay(RefreshInterval, _time, cancellationToken);
        }
    }

    /// <summary>Renews the lease every third of its time-to-live and reads the live nodes every second; joins again when the lease was lost.</summary>
    private async Task RunAsync()
    {
        var renewEvery = _options.NodeLeaseTtl / 3;
        var lastRenewal = _time.GetTimestamp();
        var failing = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_time.GetElapsedTime(lastRenewal) >= renewEvery)
                {
                    lastRenewal = _time.GetTimestamp();
                    await RenewAsync();
                }

                await RefreshLiveAsync(_stop.Token);
                failing = false;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Once per outage: the log says the rest (event 1062).
                if (!failing)
                {
                    failing = true;
                    LogRenewalFailed(ex is RpcException rpc ? EtcdLog.Describe(rpc) : ex.Message);
                }
            }

            try
            {
                await Task.Delay(RefreshInterval, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync()
    {
        using var call = _log.Client.GetConnection().LeaseClient.LeaseKeepAlive(EtcdLog.RequireLeader, Deadline(), _stop.Token);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = Interlocked.Read(ref _lease) }, _stop.Token);
        await call.RequestStream.CompleteAsync();
        if (!await call.ResponseStream.MoveNext(_stop.Token))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the lease keep-alive got no answer"));
        }

        if (call.ResponseStream.Current.TTL > 0)
        {
            Interlocked.Exchange(ref _renewedAt, _time.GetTimestamp());
            return;
        }

        // Expired while this node was cut off: the others took its instances over. It joins again, as a new life.
        LogLeaseLost(Self!);
        await JoinAsync(_stop.Token);
    }

    private async Task RefreshLiveAsync(CancellationToken cancellationToken)
    {
        var response = await _log.Kv.RangeAsync(
            new RangeRequest { Key = EtcdKeys.Utf8(EtcdKeys.Nodes), RangeEnd = EtcdKeys.PrefixEnd(EtcdKeys.Nodes), KeysOnly = true },
            deadline: Deadline(), cancellationToken: cancellationToken);
        var live = response.Kvs.Select(static kv => kv.Key.ToStringUtf8()[EtcdKeys.Nodes.Length..]).ToFrozenSet(StringComparer.Ordinal);
        var previous = _live;
        _live = live;
        foreach (var gone in previous.Except(live))
        {
            LogNodeGone(gone);
        }

        foreach (var joined in live.Except(previous).Where(id => previous.Count > 0 && id != Self))
        {
            LogNodeJoined(joined);
        }
    }

    private DateTime Deadline() => _log.Deadline();

    /// <summary>The host name and the port of the first address the server listens on.</summary>
    private static string DefaultId(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? configuration["http_ports"] ?? "";
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var port = first is not null && Uri.TryCreate(first.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port
            : 8080;
        return $"{Environment.MachineName}:{port}";
    }

    [LoggerMessage(EventId = 1070, Level = LogLevel.Information, Message = "Joined the cluster as node {NodeId}; {Count} nodes are live")]
    private partial void LogJoined(string nodeId, int count);

    [LoggerMessage(EventId = 1071, Level = LogLevel.Warning,
        Message = "The node id {NodeId} is held by a live lease (this node's previous life, or another node); waiting for it to lapse")]
    private partial void LogWaitingForId(string nodeId);

    [LoggerMessage(EventId = 1072, Level = LogLevel.Warning, Message = "Renewing this node's lease failed: {Reason}")]
    private partial void LogRenewalFailed(string reason);

    [LoggerMessage(EventId = 1073, Level = LogLevel.Warning,
        Message = "The lease of node {NodeId} lapsed while it was cut off; the others took its instances over. Joining again")]
    private partial void LogLeaseLost(string nodeId);

    [LoggerMessage(EventId = 1074, Level = LogLevel.Warning, Message = "Node {NodeId} is gone: its lease lapsed or it left")]
    private partial void LogNodeGone(string nodeId);

    [LoggerMessage(EventId = 1075, Level = LogLevel.Information, Message = "Node {NodeId} joined the cluster")]
    private partial void LogNodeJoined(string nodeId);
}
