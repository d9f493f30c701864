using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Naming;

/// <summary>
/// In a cluster, gives the ephemeral instances of a node that died to a node that lives: the live node with the
/// lowest id takes them over, a batch of instances per change, with a fresh lease. A node's death evicts nothing:
/// an instance whose client lives beats to another node and moves there; one whose client is silent too is evicted
/// once its lease lapses at its new owner.
/// </summary>
internal sealed partial class InstanceTakeover(
    ServiceTable tree, ChangeWriter writer, IClusterNodes nodes, IOptions<NamingOptions> options, TimeProvider time,
    ILogger<InstanceTakeover> logger) : BackgroundService
{
    /// <summary>Instances per change: far below the store's operations per transaction.</summary>
    private const int BatchSize = 32;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        nodes.Self is null
            ? Task.CompletedTask
            : Periodic.RunAsync(options.Value.SweepInterval, time, TakeOverAsync, LogTakeoverFailed, stoppingToken);

    public async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        var live = nodes.Live;
        if (nodes.Self is not { } self || !nodes.CanDecide || live.Min(StringComparer.Ordinal) != self)
        {
            return;
        }

        var orphans = tree.Services
            .SelectMany(service => service.Instances
                .Where(instance => instance.Ephemeral && (instance.Owner is null || !live.Contains(instance.Owner)))
                .Select(instance => (service.Key, Instance: instance)))
            .ToList();
        foreach (var batch in orphans.Chunk(BatchSize))
        {
            await writer.WriteAsync(at => Decide(at, batch, self), cancellationToken);
        }
    }

    private Decision<int> Decide(ReadPoint at, (ServiceKey Key, Instance Instance)[] batch, string self)
    {
        var proposal = new Proposal(at);
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, instance) in batch)
        {
            // Only the instance as found: one its client registered or claimed since has an owner already.
            if (ReferenceEquals(tree.FindInstance(key, instance.Id), instance))
            {
                proposal.Add(new InstancePut(key, instance.ToRecord() with { Owner = self }, Created: false));
                owners.Add(instance.Owner ?? "(none)");
            }
        }

        if (proposal.Changes.Count == 0)
        {
            return 0;
        }

        return proposal.Then(revision =>
        {
            LogTookOver(proposal.Changes.Count, string.Join(", ", owners), revision);
            return proposal.Changes.Count;
        });
    }

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning,
        Message = "Took over {Count} instances of nodes that are gone ({Owners}) at revision {Revision}; their leases start afresh here")]
    private partial void LogTookOver(int count, string owners, long revision);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Taking over the instances of a node that is gone failed")]
    private partial void LogTakeoverFailed(Exception exception);
}
