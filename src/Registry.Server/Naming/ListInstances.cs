using FluentValidation;
using Mediator;
using System.Text.Json;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>
/// Lists a service's instances (an unknown service has none) as the JSON of an <see cref="InstanceList"/>,
/// serialized once per revision and filter.
/// </summary>
internal sealed record ListInstancesQuery(
    string Namespace, string Group, string Service, bool HealthyOnly, string? Cluster, string? Protocol)
    : IQuery<byte[]>, IServiceAddress;

internal sealed class ListInstancesValidator : AbstractValidator<ListInstancesQuery>
{
    public ListInstancesValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Cluster).ValidClusterList();
        RuleFor(q => q.Protocol).ValidProtocolName();
    }
}

internal sealed class ListInstancesHandler(ServiceTable tree, LeasePolicy leases)
    : IQueryHandler<ListInstancesQuery, byte[]>
{
    public ValueTask<byte[]> Handle(ListInstancesQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        if (tree.Find(key) is not { } service)
        {
            return ValueTask.FromResult(InstanceSelection.RenderedEmpty(key));
        }

        var filter = new InstanceFilter(query.HealthyOnly, query.Cluster ?? "", query.Protocol);
        return ValueTask.FromResult(InstanceSelection.Rendered(service, filter, leases));
    }
}
