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

internal sealed class GetConfigHistoryHandler(ConfigTable configs)
    : IQueryHandler<GetConfigHistoryQuery, Outcome<Paged<ConfigVersionInfo>>>
{
    public async ValueTask<Outcome<Paged<ConfigVersionInfo>>> Handle(GetConfigHistoryQuery query, CancellationToken cancellationToken)
    {
        var history = await configs.HistoryAsync(query.ConfigKey(), query.Page, query.PageSize, cancellationToken);
        return history.Failure is { } failure
            ? failure
            : new Paged<ConfigVersionInfo>([.. history.Value!.Items.Select(static v => v.ToHistoryEntry())], history.Value.Total, query.Page, query.PageSize);
    }
}
