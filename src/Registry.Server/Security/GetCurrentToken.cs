using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>
/// The token a request presents (a console signs in with it and offers what its roles allow). Anyone may ask; a
/// token that is presented but unknown, revoked or expired is refused with 401 whether or not auth is on.
/// </summary>
/// <param name="Presented">Whether the request carries a token at all.</param>
/// <param name="Token">The live token it carries, if any.</param>
internal sealed record GetCurrentTokenQuery(bool Presented, TokenRecord? Token) : IQuery<Outcome<CurrentToken>>;

internal sealed class GetCurrentTokenHandler(IOptions<AuthOptions> auth)
    : IQueryHandler<GetCurrentTokenQuery, Outcome<CurrentToken>>
{
    public ValueTask<Outcome<CurrentToken>> Handle(GetCurrentTokenQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Outcome<CurrentToken>>(query.Presented && query.Token is null
            ? new Failure(StatusCodes.Status401Unauthorized, "unauthorized", "A valid token is required.",
                "The token is unknown, revoked or expired.")
            : new CurrentToken { AuthEnabled = auth.Value.Enabled, Token = query.Token?.ToInfo() });
}
