using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

internal sealed record GetServiceQuery(string Namespace, string Group, string Service)
    : IQuery<Outcome<ServiceInfo>>, IServiceAddress;

internal sealed class GetServiceValidator : AbstractValidator<GetServiceQuery>
{
    public GetServiceValidator() => this.ValidateServiceAddress();
}

internal sealed class GetServiceHandler(ServiceTable tree) : IQueryHandler<GetServiceQuery, Outcome<ServiceInfo>>
{
    public ValueTask<Outcome<ServiceInfo>> Handle(GetServiceQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Outcome<ServiceInfo>>(tree.Find(query.ServiceKey()) is { } service
            ? service.ToInfo()
            : NamingFailures.ServiceNotFound(query.ServiceKey()));
}
