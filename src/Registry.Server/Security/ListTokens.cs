using Mediator;
using Registry.Contracts.Admin;

namespace Registry.Server.Security;

internal sealed record ListTokensQuery : IQuery<IReadOnlyList<TokenInfo>>;

internal sealed class ListTokensHandler(TokenTable tokens) : IQueryHandler<ListTokensQuery, IReadOnlyList<TokenInfo>>
{
    public ValueTask<IReadOnlyList<TokenInfo>> Handle(ListTokensQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<TokenInfo>>(
            [.. tokens.All.OrderBy(t => t.CreatedAt).ThenBy(t => t.Name, StringComparer.Ordinal).Select(t => t.ToInfo())]);
}
