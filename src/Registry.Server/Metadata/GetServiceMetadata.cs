using FluentValidation;
using Mediator;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>A service's metadata document: the current one, or a version from its history.</summary>
internal sealed record GetServiceMetadataQuery(string Namespace, string Group, string Service, long? Version)
    : IQuery<Outcome<ServiceMetadataInfo>>, IServiceAddress;

internal sealed class GetServiceMetadataValidator : AbstractValidator<GetServiceMetadataQuery>
{
    public GetServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Version).GreaterThanOrEqualTo(1);
    }
}

internal sealed class GetServiceMetadataHandler(MetadataTable documents)
    : IQueryHandler<GetServiceMetadataQuery, Outcome<ServiceMetadataInfo>>
{
    public async ValueTask<Outcome<ServiceMetadataInfo>> Handle(GetServiceMetadataQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        if (query.Version is not { } version)
        {
            return documents.FindLive(key) is { } live ? live.ToInfo(key) : MetadataFailures.NotFound(key);
        }

        var found = await documents.ReadVersionAsync(key, version, cancellationToken);
        return found.Failure is { } failure ? failure : found.Value!.ToInfo(key);
    }
}
