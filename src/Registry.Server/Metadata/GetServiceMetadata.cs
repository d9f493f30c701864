using FluentValidation;
using Mediator;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Storage;

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

internal sealed class GetServiceMetadataHandler(NamingRegistry registry, IRegistryStore store)
    : IQueryHandler<GetServiceMetadataQuery, Outcome<ServiceMetadataInfo>>
{
    public ValueTask<Outcome<ServiceMetadataInfo>> Handle(GetServiceMetadataQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Find(query.ServiceKey(), query.Version));

    private Outcome<ServiceMetadataInfo> Find(ServiceKey key, long? version)
    {
        if (registry.FindService(key)?.Metadata is not { } current || current.Deleted && version is null)
        {
            return MetadataFailures.NotFound(key);
        }

        var record = version is not { } wanted || wanted == current.Version
            ? current
            : MetadataCollections.ReadVersion(store, key.ToString(), wanted);
        return record switch
        {
            null => MetadataFailures.VersionNotFound(key, version!.Value),
            { Deleted: true } => MetadataFailures.VersionIsDeletion(key, record.Version),
            _ => record.ToInfo(key),
        };
    }
}
