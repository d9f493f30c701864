using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>Live config items of a group (or every group: <c>*</c>), of one format or all, ordered by group and data id.</summary>
internal sealed record ListConfigsQuery(string Namespace, string Group, string? Search, string? Format, int Page, int PageSize)
    : IQuery<Paged<ConfigInfo>>, IPagedQuery;

internal sealed class ListConfigsValidator : AbstractValidator<ListConfigsQuery>
{
    public ListConfigsValidator()
    {
        RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(q => q.Group).ValidGroupOrAny();
        RuleFor(q => q.Format).KnownFormat().When(q => q.Format is not null);
        this.ValidatePaging();
    }
}

internal sealed class ListConfigsHandler(ConfigTable configs) : IQueryHandler<ListConfigsQuery, Paged<ConfigInfo>>
{
    public ValueTask<Paged<ConfigInfo>> Handle(ListConfigsQuery query, CancellationToken cancellationToken)
    {
        var items = configs.All
            .Where(c => c.Value.Live is not null && c.Key.Namespace == query.Namespace
                && (query.Group == NameRules.AnyGroup || c.Key.Group == query.Group) && query.Matches(c.Key.DataId)
                && (query.Format is null || string.Equals(c.Value.Current.Body?.Format, query.Format, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Key.Group, StringComparer.Ordinal)
            .ThenBy(c => c.Key.DataId, StringComparer.Ordinal)
            .ToList();
        return ValueTask.FromResult(items.ToPage(query, static c => c.Value.Current.ToInfo(c.Key)));
    }
}
