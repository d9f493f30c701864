using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Config;

internal static class ConfigEndpoints
{
    /// <summary>The media types a publish accepts, in the order Swagger UI offers them.</summary>
    public static readonly string[] ContentTypes =
        ["application/yaml", "application/json", "text/x-java-properties", "application/xml", "text/plain"];

    public static IEndpointRouteBuilder MapConfig(this IEndpointRouteBuilder app)
    {
        var configs = app.MapGroup("/v1/configs").WithTags("Configs");
        configs.MapGet("", ListConfigs).WithName(nameof(ListConfigs)).RequireAccess(Roles.Read)
            .WithSummary("List config items of a group (group=* for every group), paged and searchable.")
            .ProducesValidationProblem();
        configs.MapGet("/watch", WatchConfigs).WithName(nameof(WatchConfigs)).RequireAccess(Roles.Read)
            .WithSummary("Server-sent events of config changes: some data ids, a group, or a namespace (group=*).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem();
        configs.MapPut("/{dataId}", PublishConfig).WithName(nameof(PublishConfig)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Publish content as the next version; the body is the raw document.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesWriteProblems();
        configs.MapPost("/{dataId}/validate", ValidateConfig).WithName(nameof(ValidateConfig)).RequireAccess(Roles.Read)
            .WithSummary("Check content by the rules of a publish, storing nothing: 200 with its format, or 400 with the line and column.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        configs.MapGet("/{dataId}", GetConfig).WithName(nameof(GetConfig)).RequireAccess(Roles.Read)
            .WithSummary("Read the raw content (or ?version=N); a long poll with ?waitAfterVersion=N.")
            .Produces<string>(StatusCodes.Status200OK, ContentTypes[4], ContentTypes[..4])
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        configs.MapDelete("/{dataId}", DeleteConfig).WithName(nameof(DeleteConfig)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Delete a config item; recorded in its history.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesWriteProblems();
        configs.MapGet("/{dataId}/history", GetConfigHistory).WithName(nameof(GetConfigHistory)).RequireAccess(Roles.Read)
            .WithSummary("The versions of a config item, newest first.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        configs.MapGet("/{dataId}/diff", DiffConfig).WithName(nameof(DiffConfig)).RequireAccess(Roles.Read)
            .WithSummary("A unified diff of two versions (to defaults to the current one).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        configs.MapPost("/{dataId}/rollback", RollbackConfig).WithName(nameof(RollbackConfig)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Publish the content of version 'to' again, as the next version.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesWriteProblems();
        return app;
    }

    /// <param name="scope">Namespace and group (<c>*</c> lists every group).</param>
    /// <param name="search">Part of the data id, case-insensitive.</param>
    /// <param name="format">Only items of this format: text, json, yaml, properties or xml.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Items per page, 1..1000; default 100.</param>
    private static async Task<Ok<Paged<ConfigInfo>>> ListConfigs(
        [AsParameters] ScopeQuery scope, string? search, string? format, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListConfigsQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, search, format, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct));

    /// <param name="scope">Namespace and group (<c>*</c> watches every group of the namespace).</param>
    /// <param name="dataId">Data ids to watch (repeat the parameter); all of the group when omitted.</param>
    /// <param name="snapshot">First send the current state of every watched key.</param>
    /// <param name="lastEventId">Resume after this revision, for clients that cannot send the Last-Event-ID header.</param>
    /// <param name="lastEventIdHeader">Resume after this revision: the id of the last event received.</param>
    private static async Task<IResult> WatchConfigs(
        [AsParameters] ScopeQuery scope, [FromQuery] string[]? dataId, bool? snapshot, string? lastEventId,
        [FromHeader(Name = LastEventIds.Header)] string? lastEventIdHeader, [AsParameters] ConfigReader reader, IMediator mediator,
        CancellationToken ct)
    {
        var watch = await mediator.Send(new WatchConfigsQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId ?? [], snapshot ?? false, lastEventIdHeader ?? lastEventId,
            reader.Client()), ct);
        return new EventStreamResult(watch);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="format">text, json, yaml, properties or xml; else taken from the data id's extension (app.json is JSON), else from Content-Type, else text.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    /// <param name="ifNoneMatch"><c>*</c>: create only; 412 when the key exists.</param>
    private static async Task<Results<Created<ConfigInfo>, Ok<ConfigInfo>, ProblemHttpResult>> PublishConfig(
        string dataId, [AsParameters] ScopeQuery scope, string? format,
        [FromHeader(Name = "If-Match")] string? ifMatch, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        HttpRequest request, HttpResponse response,
        IMediator mediator, IOptions<ConfigOptions> options, CancellationToken ct)
    {
        var body = await ConfigContent.ReadAsync(request, options.Value.MaxContentBytes, ct);
        if (body.Failure is { } unreadable)
        {
            return unreadable.ToProblem();
        }

        var outcome = await mediator.Send(new PublishConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, body.Value!,
            ConfigFormat.Resolve(format, request.ContentType, dataId),
            ifMatch, ifNoneMatch, RequestActors.From(request)), ct);
        return Changed(outcome, response);
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="format">text, json, yaml, properties or xml; else taken as a publish takes it.</param>
    private static async Task<Results<Ok<ConfigValidation>, ProblemHttpResult>> ValidateConfig(
        string dataId, [AsParameters] ScopeQuery scope, string? format, HttpRequest request,
        IMediator mediator, IOptions<ConfigOptions> options, CancellationToken ct)
    {
        var body = await ConfigContent.ReadAsync(request, options.Value.MaxContentBytes, ct);
        return body.Failure is { } unreadable
            ? unreadable.ToProblem()
            : TypedResults.Ok(await mediator.Send(new ValidateConfigQuery(
                scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, body.Value!, ConfigFormat.Resolve(format, request.ContentType, dataId)), ct));
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="version">A version from history instead of the current one.</param>
    /// <param name="waitAfterVersion">Long poll: answer once the version exceeds this, or 304 at the timeout.</param>
    /// <param name="timeoutMs">How long a long poll may wait; default 25 s.</param>
    /// <param name="ifNoneMatch">304 when the current version is one of these (<c>"3"</c>).</param>
    private static async Task<Results<ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetConfig(
        string dataId, [AsParameters] ScopeQuery scope, long? version, long? waitAfterVersion, long? timeoutMs,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch, [AsParameters] ConfigReader reader, HttpResponse response,
        IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetConfigQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, version, waitAfterVersion, timeoutMs, reader.Client()), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var read = outcome.Value!;
        if (read.Config is { } config)
        {
            response.Headers.ETag = EntityTags.Format(config.Version);
            response.Headers["X-Config-Version"] = config.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-Config-Format"] = config.Format;
            response.Headers["X-Config-Md5"] = config.Md5;
            if (config.Gray)
            {
                response.Headers["X-Config-Gray"] = "true";
            }
        }

        return read.NotModified || read.Config is null || ifNoneMatch is not null && EntityTags.Matches(ifNoneMatch, read.Config.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Text(read.Content, ConfigFormat.MediaType(read.Config.Format));
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteConfig(
        string dataId, [AsParameters] ScopeQuery scope, [FromHeader(Name = "If-Match")] string? ifMatch, HttpRequest request,
        HttpResponse response, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new DeleteConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, ifMatch, RequestActors.From(request)), ct))
        .ToNoContent(response);

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Versions per page, 1..1000; default 100.</param>
    private static async Task<Results<Ok<Paged<ConfigVersionInfo>>, ProblemHttpResult>> GetConfigHistory(
        string dataId, [AsParameters] ScopeQuery scope, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetConfigHistoryQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct)).ToOk();

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="from">The older version.</param>
    /// <param name="to">The newer version; default the current one.</param>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> DiffConfig(
        string dataId, [AsParameters] ScopeQuery scope, long from, long? to, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new DiffConfigQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, from, to), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Text(outcome.Value, "text/plain; charset=utf-8");
    }

    /// <param name="dataId">The config item's id.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="to">The version whose content to publish again.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    private static async Task<Results<Created<ConfigInfo>, Ok<ConfigInfo>, ProblemHttpResult>> RollbackConfig(
        string dataId, [AsParameters] ScopeQuery scope, long to, [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpRequest request, HttpResponse response, IMediator mediator, CancellationToken ct) =>
        Changed(await mediator.Send(new RollbackConfigCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, dataId, to, ifMatch, RequestActors.From(request)), ct), response);

    private static Results<Created<ConfigInfo>, Ok<ConfigInfo>, ProblemHttpResult> Changed(Outcome<ConfigChange> outcome, HttpResponse response)
    {
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var (config, created) = outcome.Value!;
        response.Headers.ETag = EntityTags.Format(config.Version);
        response.SetRevision(config.Revision);
        var location = $"/v1/configs/{Uri.EscapeDataString(config.DataId)}?namespace={Uri.EscapeDataString(config.Namespace)}&group={Uri.EscapeDataString(config.Group)}";
        return created ? TypedResults.Created(location, config) : TypedResults.Ok(config);
    }
}

/// <summary>Who reads a config item, as its request says: what a gray rule selects clients by.</summary>
internal readonly record struct ConfigReader
{
    /// <summary>The client's labels, <c>name=value</c> pairs separated by commas (<c>zone=eu,canary=true</c>), for gray rules.</summary>
    [FromHeader(Name = RegistryHeaders.Labels)]
    public string? Labels { get; init; }

    /// <summary>The client's stable id, which a gray release by percentage hashes; its address when left out.</summary>
    [FromHeader(Name = RegistryHeaders.ClientId)]
    public string? ClientId { get; init; }

    public HttpContext Context { get; init; }

    public ConfigClient Client() => GrayRules.Client(Labels, ClientId, Context.Connection.RemoteIpAddress);
}
