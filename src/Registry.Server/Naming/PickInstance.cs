using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>Picks one healthy, enabled instance at random, in proportion to its weight.</summary>
internal sealed record PickInstanceQuery(string Namespace, string Group, string Service, string? Cluster)
    : IQuery<Outcome<InstanceInfo>>, IServiceAddress;

internal sealed class PickInstanceValidator : AbstractValidator<PickInstanceQuery>
{
    public PickInstanceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Cluster).ValidClusterList();
    }
}

internal sealed class PickInstanceHandler(NamingRegistry registry, LeasePolicy leases)
    : IQueryHandler<PickInstanceQuery, Outcome<InstanceInfo>>
{
    public ValueTask<Outcome<InstanceInfo>> Handle(PickInstanceQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        var clusters = InstanceSelection.ParseClusters(query.Cluster);
        var picked = registry.FindService(key) is { } service
            ? InstanceSelection.Pick(
                service.SortedInstances().Where(i => clusters.Length == 0 || clusters.Contains(i.Cluster, StringComparer.Ordinal)),
                Random.Shared)
            : null;
        return ValueTask.FromResult<Outcome<InstanceInfo>>(picked is null
            ? NamingFailures.NoInstanceAvailable(key)
            : picked.ToInfo(key, leases));
    }
}
