using FluentValidation;
using Mediator;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

internal sealed record GetServiceMetadataQuery(string Namespace, string Group, string Service)
    : IQuery<Outcome<ServiceMetadataInfo>>, IServiceAddress;

internal sealed class GetServiceMetadataValidator : AbstractValidator<GetServiceMetadataQuery>
{
    public GetServiceMetadataValidator() => this.ValidateServiceAddress();
}

internal sealed class GetServiceMetadataHandler(NamingRegistry registry)
    : IQueryHandler<GetServiceMetadataQuery, Outcome<ServiceMetadataInfo>>
{
    public ValueTask<Outcome<ServiceMetadataInfo>> Handle(GetServiceMetadataQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        return ValueTask.FromResult<Outcome<ServiceMetadataInfo>>(registry.FindService(key)?.LiveMetadata is { } live
            ? live.ToInfo(key)
            : MetadataFailures.NotFound(key));
    }
}
