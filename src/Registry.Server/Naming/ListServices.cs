using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>The services of one group, ordered by name, with counts; <c>search</c> matches part of the name.</summary>
internal sealed record ListServicesQuery(string Namespace, string Group, string? Search, int Page, int PageSize)
    : IQuery<Paged<ServiceInfo>>, IPagedQuery;

internal sealed class ListServicesValidator : AbstractValidator<ListServicesQuery>
{
    public ListServicesValidator()
    {
        RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(q => q.Group).ValidName(NameRules.GroupMaxLength);
        this.ValidatePaging();
    }
}

internal sealed class ListServicesHandler(ServiceTable tree) : IQueryHandler<ListServicesQuery, Paged<ServiceInfo>>
{
    public ValueTask<Paged<ServiceInfo>> Handle(ListServicesQuery query, CancellationToken cancellationToken)
    {
        var services = tree.Services
            .Where(s => s.Key.Namespace == query.Namespace && s.Key.Group == query.Group && query.Matches(s.Key.Name))
            .OrderBy(s => s.Key.Name, StringComparer.Ordinal)
            .ToList();
        return ValueTask.FromResult(services.ToPage(query, static s => s.ToInfo()));
    }
}
