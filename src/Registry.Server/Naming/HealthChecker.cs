using System.Net;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Probes;

namespace Registry.Server.Naming;

/// <summary>
/// Runs the health checks of persistent instances and writes the healths they call for as changes of the instance, so
/// lists, events, metrics and the audit (by <c>health-check</c>) follow as they do an admin's change. In a cluster each
/// checked instance is probed by one live node, chosen by rendezvous hashing, so the nodes share the probes and those
/// of a node that leaves pass to the others. An address outside the allowed networks (narrowed since its check was
/// declared) is not probed.
/// </summary>
internal sealed partial class HealthChecker : BackgroundService
{
    public const string ActorName = "health-check";

    private readonly ServiceTable _tree;
    private readonly ChangeWriter _writer;
    private readonly IClusterNodes _nodes;
    private readonly ProbeTargets _allowed;
    private readonly NamingMetrics _metrics;
    private readonly ProbeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthChecker> _logger;
    private readonly ProbeSchedule _schedule;
    private readonly Lock _gate = new();
    private Targets? _targets;
    private long _inconclusiveLoggedAt;

    public HealthChecker(
        ServiceTable tree, ChangeWriter writer, IClusterNodes nodes, ProbeTargets allowed, IProbe probe, NamingMetrics metrics,
        IOptions<ProbeOptions> options, TimeProvider time, ILogger<HealthChecker> logger)
    {
        _tree = tree;
        _writer = writer;
        _nodes = nodes;
        _allowed = allowed;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _schedule = new ProbeSchedule(new CountedProbe(probe, this), time, _options.MaxConcurrency, WriteAsync);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(_options.Tick, _time, RunDueAsync, LogRunFailed, stoppingToken);

    /// <summary>Starts the probes that are due now; a node cut off from the cluster probes nothing.</summary>
    public Task RunDueAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _schedule.RunDue(_nodes.CanDecide ? Checked() : [], cancellationToken);
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes when the probes started so far, and the changes they called for, are done.</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return _schedule.IdleAsync();
        }
    }

    /// <summary>The checked instances this node probes, built again only when the tree or the live nodes changed.</summary>
    private List<ProbeTarget> Checked()
    {
        var version = _tree.Version;
        var live = _nodes.Live;
        if (_targets is { } built && built.Version == version && ReferenceEquals(built.Live, live))
        {
            return built.List;
        }

        var list = new List<ProbeTarget>();
        var refused = 0;
        foreach (var service in _tree.Services)
        {
            foreach (var instance in service.Instances)
            {
                if (instance.Ephemeral || HealthChecks.Of(instance.HealthCheck, service.Record) is not { } check)
                {
                    continue;
                }

                var key = service.Key.InstanceKey(instance.Id);
                if (!ProbedHere(key, live))
                {
                    continue;
                }

                if (_allowed.Refusal(instance.Ip) is not null || !IPAddress.TryParse(instance.Ip, out var address))
                {
                    refused++;
                    continue;
                }

                list.Add(new ProbeTarget(key, address, check.Port ?? instance.Port, check.ToProbe(), instance.Healthy));
            }
        }

        if (refused > 0)
        {
            LogRefused(refused);
        }

        _targets = new Targets(version, live, list);
        return list;
    }

    /// <summary>Whether this node probes the instance: the live node that ranks highest for its key (every node on its own).</summary>
    private bool ProbedHere(string key, IReadOnlySet<string> live) =>
        _nodes.Self is not { } self || live.Count <= 1 || NodeIds.Rendezvous(key, live) == self;

    /// <summary>
    /// Writes the health a check called for, if the instance still has the check that was probed and not yet that
    /// health: an admin's change or a new registration since then wins.
    /// </summary>
    private async Task WriteAsync(ProbeFlip flip, CancellationToken cancellationToken)
    {
        var key = ServiceKey.Parse(flip.Target.Key);
        var id = flip.Target.Key.Split('/', 4)[3];
        try
        {
            var written = await _writer.WriteAsync(at =>
            {
                if (_tree.Find(key) is not { } service || service.Find(id) is not { } instance || instance.Healthy == flip.Healthy
                    || instance.Ephemeral || HealthChecks.Of(instance.HealthCheck, service.Record)?.ToProbe() != flip.Target.Check)
                {
                    return false;
                }

                var why = $"{(flip.Healthy ? "passed" : "failed")} {flip.Target.Check.Kind.ToString().ToUpperInvariant()} check: {flip.Detail}";
                return new Proposal(at)
                    .Add(new InstancePut(key, instance.ToRecord() with { Healthy = flip.Healthy }, Created: false))
                    // From the node that probed it: in a cluster, the audit says which node decided.
                    .Audited(AuditNote.Change(
                        _time.GetUtcNow(), new Actor(ActorName, _nodes.Self ?? ""), "instance.health", key.Namespace, $"{key.Group}/{key.Name}/{id}", why))
                    .Then(revision =>
                    {
                        _metrics.HealthFlips.WithLabels(flip.Healthy ? "healthy" : "unhealthy").Inc();
                        LogFlipped(key.Namespace, key.Group, key.Name, id, flip.Healthy ? "healthy" : "unhealthy", why, revision);
                        return true;
                    });
            }, cancellationToken);
            if (written.Failure is { } failure)
            {
                LogNotWritten(key.ToString(), id, failure.Detail);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Its probes go on: the next one past the threshold calls for the same health again.
            LogWriteFailed(error, key.ToString(), id);
        }
    }

    public override void Dispose()
    {
        _schedule.Dispose();
        base.Dispose();
    }

    private sealed record Targets(long Version, IReadOnlySet<string> Live, List<ProbeTarget> List);

    /// <summary>
    /// Says, at most once a minute, that probes cannot run for want of this server's own resources: they count for no
    /// verdict, so the instances keep their health, but nothing is checked until the server has sockets again.
    /// </summary>
    private void Inconclusive(string detail)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _inconclusiveLoggedAt);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1))
            && Interlocked.CompareExchange(ref _inconclusiveLoggedAt, now, last) == last)
        {
            LogInconclusive(detail);
        }
    }

    /// <summary>Counts each probe's result.</summary>
    private sealed class CountedProbe(IProbe probe, HealthChecker checker) : IProbe
    {
        public async Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken)
        {
            var result = await probe.ProbeAsync(address, port, check, cancellationToken);
            checker._metrics.Probes.WithLabels(result switch
            {
                { Inconclusive: true } => "inconclusive",
                { Passed: true } => "passed",
                _ => "failed",
            }).Inc();
            if (result.Inconclusive)
            {
                checker.Inconclusive(result.Detail);
            }

            return result;
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} is {Health} at revision {Revision}: {Reason}")]
    private partial void LogFlipped(string @namespace, string group, string service, string instanceId, string health, string reason, long revision);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning,
        Message = "{Count} checked instance(s) are outside Registry:Probes:AllowedNetworks and are not probed")]
    private partial void LogRefused(int count);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "The health of {Service} instance {InstanceId} was not written: {Reason}")]
    private partial void LogNotWritten(string service, string instanceId, string reason);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Error, Message = "The health of {Service} instance {InstanceId} could not be written")]
    private partial void LogWriteFailed(Exception exception, string service, string instanceId);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Error, Message = "A round of health checks failed")]
    private partial void LogRunFailed(Exception exception);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Warning,
        Message = "Health checks cannot run: the server is short of its own resources ({Reason}); instances keep their health until they can")]
    private partial void LogInconclusive(string reason);
}
