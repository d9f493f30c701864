using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

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

internal sealed class GetServiceMetadataHistoryHandler(MetadataTable documents)
    : IQueryHandler<GetServiceMetadataHistoryQuery, Outcome<Paged<MetadataVersionInfo>>>
{
    public async ValueTask<Outcome<Paged<MetadataVersionInfo>>> Handle(GetServiceMetadataHistoryQuery query, CancellationToken cancellationToken)
    {
        var history = await documents.HistoryAsync(query.ServiceKey(), query.Page, query.PageSize, cancellationToken);
        return history.Failure is { } failure
            ? failure
            : new Paged<MetadataVersionInfo>([.. history.Value!.Items.Select(static v => v.ToHistoryEntry())], history.Value.Total, query.Page, query.PageSize);
    }
}
