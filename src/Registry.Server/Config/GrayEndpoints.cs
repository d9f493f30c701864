using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Config;

/// <summary>Gray releases of config items, and the clients that read them.</summary>
internal static class GrayEndpoints
{
    public static IEndpointRouteBuilder MapGrayConfig(this IEndpointRouteBuilder app)
    {
        var configs = app.MapGroup("/v1/configs").WithTags("Configs");
        configs.MapPut("/{dataId}/gray", PublishGrayConfig).WithName(nameof(PublishGrayConfig)).RecordsAuthor().RequireAccess(Roles.Write)
            .RateLimitedWrite().WithBodyLimit(static services => MaxReleaseBytes(services.GetRequiredService<IOptions<ConfigOptions>>().Value))
            .WithSummary("Publish a gray version: content that only the clients its rule names get, until it is promoted or aborted.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesWriteProblems();
        configs.MapGet("/{dataId}/gray", GetGrayConfig).WithName(nameof(GetGrayConfig)).RequireAccess(Roles.Read)
            .WithSummary("The gray version and its rule; its content is read with ?version= like any version.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        configs.MapPut("/{dataId}/gray/rule", SetGrayRule).WithName(nameof(SetGrayRule)).RecordsAuthor().RequireAccess(Roles.Write)
            .RateLimitedWrite()
            .WithSummary("Change (widen) which clients get the gray version.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        configs.MapPost("/{dataId}/gray/promote", PromoteGrayConfig).WithName(nameof(PromoteGrayConfig)).RecordsAuthor()
            .RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Release the gray version to every client, as the next version.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        configs.MapDelete("/{dataId}/gray", AbortGrayConfig).WithName(nameof(AbortGrayConfig)).RecordsAuthor().RequireAccess(Roles.Write)
            .RateLimitedWrite()
            .WithSummary("Abort the gray version: its clients fall back to the released version; history notes it.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        configs.MapGet("/{dataId}/clients", ListConfigClients).WithName(nameof(ListConfigClients)).RequireAccess(Roles.Read)
            .WithSummary("The clients this node served the item to (read, long poll, watch), with their labels and the version each has.")
            .ProducesValidationProblem();
        return app;
    }

    /// <summary>
    /// A gray release's JSON body: its content at the config content limit, escaped as JSON may escape it (six bytes a
    /// byte at worst), and room for a rule of thousands of addresses. The content's own limit is checked once read.
    /// </summary>
    private static long MaxReleaseBytes(ConfigOptions options) => 6L * options.MaxContentBytes + 256 * 1024;

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="request">The content (format: the released version's unless given) and the rule.</param>
    private static async Task<Results<Ok<ConfigGrayInfo>, ProblemHttpResult>> PublishGrayConfig(
        string dataId, [AsParameters] ScopeQuery scope, GrayReleaseRequest request, HttpRequest http, HttpResponse response, IMediator mediator,
        CancellationToken ct) =>
        GrayChanged(await mediator.Send(new PublishGrayConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, request.Content, request.Format, request.Rule, RequestActors.From(http)), ct),
            response);

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<Ok<ConfigGrayInfo>, ProblemHttpResult>> GetGrayConfig(
        string dataId, [AsParameters] ScopeQuery scope, IMediator mediator, CancellationToken ct)
    {
        var read = await mediator.Send(new GetGrayConfigQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, dataId), ct);
        return read.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(read.Value!.Gray);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="rule">The clients that get the gray version from now on.</param>
    private static async Task<Results<Ok<ConfigGrayInfo>, ProblemHttpResult>> SetGrayRule(
        string dataId, [AsParameters] ScopeQuery scope, GrayRule rule, HttpRequest http, HttpResponse response, IMediator mediator,
        CancellationToken ct) =>
        GrayChanged(await mediator.Send(new SetGrayRuleCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, rule, RequestActors.From(http)), ct), response);

    /// <summary>The gray version after a change, with the revision it took (to read it on another node).</summary>
    private static Results<Ok<ConfigGrayInfo>, ProblemHttpResult> GrayChanged(Outcome<ConfigGrayInfo> outcome, HttpResponse response)
    {
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(outcome.Value!.Revision);
        return TypedResults.Ok(outcome.Value);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<Ok<ConfigInfo>, ProblemHttpResult>> PromoteGrayConfig(
        string dataId, [AsParameters] ScopeQuery scope, HttpRequest http, HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var promoted = await mediator.Send(new PromoteGrayConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, RequestActors.From(http)), ct);
        if (promoted.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var config = promoted.Value!.Config;
        response.Headers.ETag = EntityTags.Format(config.Version);
        response.SetRevision(config.Revision);
        return TypedResults.Ok(config);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<Ok<ConfigVersionInfo>, ProblemHttpResult>> AbortGrayConfig(
        string dataId, [AsParameters] ScopeQuery scope, HttpRequest http, HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var aborted = await mediator.Send(new AbortGrayConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, RequestActors.From(http)), ct);
        if (aborted.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(aborted.Value!.Revision);
        return TypedResults.Ok(aborted.Value);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Ok<IReadOnlyList<ConfigClientInfo>>> ListConfigClients(
        string dataId, [AsParameters] ScopeQuery scope, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListConfigClientsQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, dataId), ct));
}
