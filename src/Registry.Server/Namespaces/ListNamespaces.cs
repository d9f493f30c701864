using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Security;

namespace Registry.Server.Namespaces;

/// <summary>Namespaces ordered by id, with counts; <c>search</c> matches part of the id or display name.</summary>
internal sealed record ListNamespacesQuery(string? Search, int Page, int PageSize, NamespaceAccess Access)
    : IQuery<Paged<NamespaceInfo>>, IPagedQuery;

internal sealed class ListNamespacesValidator : AbstractValidator<ListNamespacesQuery>
{
    public ListNamespacesValidator() => this.ValidatePaging();
}

internal sealed class ListNamespacesHandler(NamingRegistry registry) : IQueryHandler<ListNamespacesQuery, Paged<NamespaceInfo>>
{
    public ValueTask<Paged<NamespaceInfo>> Handle(ListNamespacesQuery query, CancellationToken cancellationToken)
    {
        var namespaces = registry.Namespaces
            .Where(ns => query.Access.Sees(ns.Id) && (query.Matches(ns.Id) || query.Matches(ns.DisplayName)))
            .OrderBy(ns => ns.Id, StringComparer.Ordinal)
            .ToList();
        return ValueTask.FromResult(namespaces.ToPage(query, ns => ns.ToInfo(registry)));
    }
}
