using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;

namespace Registry.Server.Naming;

/// <summary>
/// The leases of a service's instances: last heartbeat, when each turns unhealthy and when it is evicted. Kept
/// apart from the instance list, which changes only with a revision while leases move with every heartbeat.
/// </summary>
internal sealed record ListLeasesQuery(string Namespace, string Group, string Service)
    : IQuery<IReadOnlyList<InstanceLease>>, IServiceAddress;

internal sealed class ListLeasesValidator : AbstractValidator<ListLeasesQuery>
{
    public ListLeasesValidator() => this.ValidateServiceAddress();
}

internal sealed class ListLeasesHandler(ServiceTable tree, LeasePolicy leases, TimeProvider time)
    : IQueryHandler<ListLeasesQuery, IReadOnlyList<InstanceLease>>
{
    public ValueTask<IReadOnlyList<InstanceLease>> Handle(ListLeasesQuery query, CancellationToken cancellationToken)
    {
        IReadOnlyList<InstanceLease> found = tree.Find(query.ServiceKey()) is { } service
            ? [.. service.Instances.Select(Lease)]
            : [];
        return ValueTask.FromResult(found);
    }

    private InstanceLease Lease(Instance instance)
    {
        if (!instance.Ephemeral)
        {
            return new InstanceLease(instance.Id, Ephemeral: false, null, null, null, instance.Owner);
        }

        var beat = instance.LastBeatAt(time);
        return new InstanceLease(
            instance.Id, Ephemeral: true, beat, beat + leases.UnhealthyAfter(instance), beat + leases.EvictAfter(instance), instance.Owner);
    }
}
