using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Namespaces;

/// <summary>Namespaces ordered by id, with counts; <c>search</c> matches part of the id or display name.</summary>
internal sealed record ListNamespacesQuery(string? Search, int Page, int PageSize, NamespaceAccess Access)
    : IQuery<Paged<NamespaceInfo>>, IPagedQuery;

internal sealed class ListNamespacesValidator : AbstractValidator<ListNamespacesQuery>
{
    public ListNamespacesValidator() => this.ValidatePaging();
}

internal sealed class ListNamespacesHandler(NamespaceTable namespaces, NamespaceCounter counter)
    : IQueryHandler<ListNamespacesQuery, Paged<NamespaceInfo>>
{
    public ValueTask<Paged<NamespaceInfo>> Handle(ListNamespacesQuery query, CancellationToken cancellationToken)
    {
        var visible = namespaces.All
            .Where(ns => query.Access.Sees(ns.Id) && (query.Matches(ns.Id) || query.Matches(ns.DisplayName)))
            .OrderBy(ns => ns.Id, StringComparer.Ordinal)
            .ToList();
        return ValueTask.FromResult(visible.ToPage(query, ns => ns.ToInfo(counter)));
    }
}
