using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>One instance, with the time of its last heartbeat.</summary>
internal sealed record GetInstanceQuery(string Namespace, string Group, string Service, string Id)
    : IQuery<Outcome<InstanceInfo>>, IServiceAddress;

internal sealed class GetInstanceValidator : AbstractValidator<GetInstanceQuery>
{
    public GetInstanceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Id).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
    }
}

internal sealed class GetInstanceHandler(ServiceTable tree, LeasePolicy leases, TimeProvider time)
    : IQueryHandler<GetInstanceQuery, Outcome<InstanceInfo>>
{
    public ValueTask<Outcome<InstanceInfo>> Handle(GetInstanceQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        var service = tree.Find(key);
        return ValueTask.FromResult<Outcome<InstanceInfo>>(service?.Find(query.Id) is { } instance
            ? instance.ToInfo(key, service.Routing, leases, lastHeartbeatAt: instance.LastBeatAt(time))
            : NamingFailures.InstanceNotFound(key, query.Id));
    }
}
