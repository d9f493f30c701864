using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;

namespace Registry.Server.Naming;

/// <summary>Lists a service's instances; an unknown service has none.</summary>
internal sealed record ListInstancesQuery(string Namespace, string Group, string Service, bool HealthyOnly, string? Cluster)
    : IQuery<InstanceList>, IServiceAddress;

internal sealed class ListInstancesValidator : AbstractValidator<ListInstancesQuery>
{
    public ListInstancesValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Cluster).ValidClusterList();
    }
}

internal sealed class ListInstancesHandler(NamingRegistry registry, LeasePolicy leases)
    : IQueryHandler<ListInstancesQuery, InstanceList>
{
    public ValueTask<InstanceList> Handle(ListInstancesQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        var service = registry.FindService(key);
        var (instances, protect) = service is null
            ? ([], false)
            : InstanceSelection.Select(service, InstanceSelection.ParseClusters(query.Cluster), query.HealthyOnly);
        return ValueTask.FromResult(new InstanceList
        {
            Namespace = key.Namespace,
            Group = key.Group,
            Service = key.Name,
            Revision = service?.Revision ?? 0,
            ProtectThresholdReached = protect,
            Instances = [.. instances.Select(i => i.ToInfo(key, leases))],
        });
    }
}
