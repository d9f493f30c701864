using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

internal static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/v1/tokens").WithTags("Tokens");
        tokens.MapPost("", CreateToken).WithName(nameof(CreateToken)).RecordsAuthor().RateLimitedWrite()
            .WithSummary("Create a token; its secret is in this response only.")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .ProducesValidationProblem().ProducesAccessProblems().ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();
        tokens.MapGet("", ListTokens).WithName(nameof(ListTokens))
            .WithSummary("List the tokens the server accepts (never their secrets).")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .ProducesAccessProblems();
        tokens.MapGet("/current", GetCurrentToken).WithName(nameof(GetCurrentToken))
            .WithSummary("The token this request presents, and whether the server requires one; 401 for a token it does not accept.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapDelete("/{id}", RevokeToken).WithName(nameof(RevokeToken)).RecordsAuthor().RateLimitedWrite()
            .WithSummary("Revoke a token created through the API.")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .ProducesValidationProblem().ProducesAccessProblems().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();
        return app;
    }

    /// <param name="request">Name, roles, namespaces and expiry of the token.</param>
    private static async Task<Results<Created<CreatedToken>, ProblemHttpResult>> CreateToken(
        TokenRequest request, HttpRequest http, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CreateTokenCommand(
            request.Name, [.. request.Roles ?? []], [.. request.Namespaces ?? [TokenRules.AllNamespaces]], request.ExpiresAt,
            RequestActors.From(http)), ct);
        return outcome.Failure is { } failure
            ? failure.ToProblem()
            : TypedResults.Created($"/v1/tokens/{outcome.Value!.Token.Id}", outcome.Value);
    }

    private static async Task<Ok<IReadOnlyList<TokenInfo>>> ListTokens(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListTokensQuery(), ct));

    private static async Task<Results<Ok<CurrentToken>, ProblemHttpResult>> GetCurrentToken(
        HttpRequest http, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetCurrentTokenQuery(
            HttpContextTokens.BearerSecret(http) is not null, http.PresentedToken()), ct)).ToOk();

    /// <param name="id">The token's id.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(
        string id, HttpRequest http, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new RevokeTokenCommand(id, RequestActors.From(http)), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();
    }
}
