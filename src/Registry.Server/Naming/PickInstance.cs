using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>
/// Picks one healthy, enabled instance at random in proportion to its effective weight; with a protocol,
/// among those serving it, and returns that protocol's endpoint.
/// </summary>
internal sealed record PickInstanceQuery(string Namespace, string Group, string Service, string? Cluster, string? Protocol)
    : IQuery<Outcome<InstanceInfo>>, IServiceAddress;

internal sealed class PickInstanceValidator : AbstractValidator<PickInstanceQuery>
{
    public PickInstanceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Cluster).ValidClusterList();
        RuleFor(q => q.Protocol).ValidProtocolName();
    }
}

internal sealed class PickInstanceHandler(ServiceTable tree, LeasePolicy leases)
    : IQueryHandler<PickInstanceQuery, Outcome<InstanceInfo>>
{
    public ValueTask<Outcome<InstanceInfo>> Handle(PickInstanceQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        var view = tree.Find(key);
        var filter = new InstanceFilter(false, query.Cluster ?? "", query.Protocol);
        var picked = view is null ? null : InstanceSelection.Pick(view, filter, Random.Shared);
        return ValueTask.FromResult<Outcome<InstanceInfo>>(picked is null
            ? NamingFailures.NoInstanceAvailable(key, filter.Protocol)
            : picked.ToInfo(key, view!.Routing, leases, filter.Protocol));
    }
}
