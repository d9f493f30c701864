using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>The history of a config item, newest first, paged; deleted items keep theirs.</summary>
internal sealed record GetConfigHistoryQuery(string Namespace, string Group, string DataId, int Page, int PageSize)
    : IQuery<Outcome<Paged<ConfigVersionInfo>>>, IConfigAddress;

internal sealed class GetConfigHistoryValidator : AbstractValidator<GetConfigHistoryQuery>
{
    public GetConfigHistoryValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}

internal sealed class GetConfigHistoryHandler(ConfigRegistry configs)
    : IQueryHandler<GetConfigHistoryQuery, Outcome<Paged<ConfigVersionInfo>>>
{
    public ValueTask<Outcome<Paged<ConfigVersionInfo>>> Handle(GetConfigHistoryQuery query, CancellationToken cancellationToken)
    {
        var key = query.ConfigKey();
        if (configs.Find(key) is not { } current)
        {
            return ValueTask.FromResult<Outcome<Paged<ConfigVersionInfo>>>(ConfigFailures.NotFound(key));
        }

        // Versions run without gaps from FirstVersion to Version, so a page is a range of keys.
        var total = (int)(current.Version - current.FirstVersion + 1);
        var newest = current.Version - (long)(query.Page - 1) * query.PageSize;
        var oldest = Math.Max(current.FirstVersion, newest - query.PageSize + 1);
        var items = new List<ConfigVersionInfo>();
        for (var version = newest; version >= oldest; version--)
        {
            if (configs.FindVersion(key, version) is { } entry)
            {
                items.Add(entry.ToHistoryEntry());
            }
        }

        return ValueTask.FromResult<Outcome<Paged<ConfigVersionInfo>>>(
            new Paged<ConfigVersionInfo>(items, total, query.Page, query.PageSize));
    }
}
