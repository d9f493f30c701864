using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Storage;

namespace Registry.Server.Metadata;

/// <summary>The versions of a service's metadata document, newest first, with the document as of each.</summary>
internal sealed record GetServiceMetadataHistoryQuery(string Namespace, string Group, string Service, int Page, int PageSize)
    : IQuery<Outcome<Paged<MetadataVersionInfo>>>, IServiceAddress;

internal sealed class GetServiceMetadataHistoryValidator : AbstractValidator<GetServiceMetadataHistoryQuery>
{
    public GetServiceMetadataHistoryValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}

internal sealed class GetServiceMetadataHistoryHandler(NamingRegistry registry, IRegistryStore store)
    : IQueryHandler<GetServiceMetadataHistoryQuery, Outcome<Paged<MetadataVersionInfo>>>
{
    public ValueTask<Outcome<Paged<MetadataVersionInfo>>> Handle(GetServiceMetadataHistoryQuery query, CancellationToken cancellationToken)
    {
        var key = query.ServiceKey();
        if (registry.FindService(key)?.Metadata is not { } current)
        {
            return ValueTask.FromResult<Outcome<Paged<MetadataVersionInfo>>>(MetadataFailures.NotFound(key));
        }

        var newest = current.Version - ((long)(query.Page - 1) * query.PageSize);
        var items = new List<MetadataVersionInfo>();
        for (var version = newest; version >= Math.Max(1, newest - query.PageSize + 1); version--)
        {
            if (MetadataCollections.ReadVersion(store, key.ToString(), version) is { } record)
            {
                items.Add(record.ToHistoryEntry());
            }
        }

        return ValueTask.FromResult<Outcome<Paged<MetadataVersionInfo>>>(
            new Paged<MetadataVersionInfo>(items, (int)current.Version, query.Page, query.PageSize));
    }
}
