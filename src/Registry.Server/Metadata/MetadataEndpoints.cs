using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Metadata;

internal static class MetadataEndpoints
{
    public static IEndpointRouteBuilder MapMetadata(this IEndpointRouteBuilder app)
    {
        var metadata = app.MapGroup("/v1/services/{service}/metadata").WithTags("Metadata");
        metadata.MapGet("", GetServiceMetadata).WithName(nameof(GetServiceMetadata)).RequireAccess(Roles.Read)
            .WithSummary("Read a service's metadata document (or ?version=N from its history); ETag is its version.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        metadata.MapPut("", PutServiceMetadata).WithName(nameof(PutServiceMetadata)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite().WithBodyLimit(limits => limits.MaxMetadataBodyBytes)
            .WithSummary("Write the next version of a service's metadata document; If-Match for compare-and-set.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesWriteProblems();
        metadata.MapPatch("", PatchServiceMetadata).WithName(nameof(PatchServiceMetadata)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite().WithBodyLimit(limits => limits.MaxMetadataBodyBytes)
            .WithSummary("Change part of a service's metadata document with a JSON Merge Patch; If-Match for compare-and-set.")
            .Accepts<ServiceMetadata>(JsonMergePatch.MediaType, "application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesWriteProblems();
        metadata.MapDelete("", DeleteServiceMetadata).WithName(nameof(DeleteServiceMetadata)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Delete a service's metadata document; recorded in its history.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesWriteProblems();
        metadata.MapGet("/history", GetServiceMetadataHistory).WithName(nameof(GetServiceMetadataHistory)).RequireAccess(Roles.Read)
            .WithSummary("The versions of a service's metadata document, newest first, with the document as of each.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        metadata.MapGet("/diff", DiffServiceMetadata).WithName(nameof(DiffServiceMetadata)).RequireAccess(Roles.Read)
            .WithSummary("A unified diff of two versions of a service's metadata document (to defaults to the current one).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        metadata.MapPost("/rollback", RollbackServiceMetadata).WithName(nameof(RollbackServiceMetadata)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Write the document of an earlier version as the next version; nothing changes if it is already current.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesWriteProblems();
        return app;
    }

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="version">A version from history instead of the current one.</param>
    /// <param name="ifNoneMatch">304 when the current version is one of these (<c>"3"</c>).</param>
    private static async Task<Results<Ok<ServiceMetadataInfo>, StatusCodeHttpResult, ProblemHttpResult>> GetServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, long? version, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetServiceMetadataQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service, version), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var metadata = outcome.Value!;
        response.Headers.ETag = EntityTags.Format(metadata.Version);
        return ifNoneMatch is not null && EntityTags.Matches(ifNoneMatch, metadata.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(metadata);
    }

    /// <param name="service">The service name; created if it does not exist yet.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="document">The whole document; what it leaves out is empty.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    /// <param name="ifNoneMatch"><c>*</c>: create only; 412 when the document exists.</param>
    private static async Task<Results<Created<ServiceMetadataInfo>, Ok<ServiceMetadataInfo>, ProblemHttpResult>> PutServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, ServiceMetadata document,
        [FromHeader(Name = "If-Match")] string? ifMatch, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        HttpRequest request, HttpResponse response,
        IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new PutServiceMetadataCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, document.Protocols, document.DefaultWeight,
            document.InstanceWeights, document.Tags, document.Properties, ifMatch, ifNoneMatch, RequestActors.From(request)), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        return Changed(outcome.Value!, response);
    }

    /// <param name="service">The service name; created with a document if it has none.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="patch">
    /// A JSON Merge Patch (RFC 7396): members given replace the document's, <c>null</c> removes one,
    /// <c>instanceWeights</c> and <c>properties</c> merge entry by entry, <c>protocols</c> and <c>tags</c> are replaced whole.
    /// </param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412. Without it the patch applies to whatever version is current, never losing a write made meanwhile.</param>
    private static async Task<Results<Created<ServiceMetadataInfo>, Ok<ServiceMetadataInfo>, ProblemHttpResult>> PatchServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, [FromBody] JsonObject patch, [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpRequest request, HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new PatchServiceMetadataCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, patch, ifMatch, RequestActors.From(request)), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : Changed(outcome.Value!, response);
    }

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, [FromHeader(Name = "If-Match")] string? ifMatch, HttpRequest request,
        HttpResponse response, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new DeleteServiceMetadataCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, ifMatch, RequestActors.From(request)), ct))
        .ToNoContent(response);

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Versions per page, 1..1000; default 100.</param>
    private static async Task<Results<Ok<Paged<MetadataVersionInfo>>, ProblemHttpResult>> GetServiceMetadataHistory(
        string service, [AsParameters] ScopeQuery scope, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetServiceMetadataHistoryQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct)).ToOk();

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="from">The older version.</param>
    /// <param name="to">The newer version; default the current one.</param>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> DiffServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, long from, long? to, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new DiffServiceMetadataQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service, from, to), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Text(outcome.Value, "text/plain; charset=utf-8");
    }

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="to">The version whose document to write again.</param>
    /// <param name="ifMatch">Compare-and-set: change only if the current version is one of these (<c>"3"</c>), or any (<c>*</c>); else 412.</param>
    private static async Task<Results<Created<ServiceMetadataInfo>, Ok<ServiceMetadataInfo>, ProblemHttpResult>> RollbackServiceMetadata(
        string service, [AsParameters] ScopeQuery scope, long to, [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpRequest request, HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new RollbackServiceMetadataCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, to, ifMatch, RequestActors.From(request)), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : Changed(outcome.Value!, response);
    }

    private static Results<Created<ServiceMetadataInfo>, Ok<ServiceMetadataInfo>, ProblemHttpResult> Changed(MetadataChange change, HttpResponse response)
    {
        var (metadata, created) = change;
        response.Headers.ETag = EntityTags.Format(metadata.Version);
        response.SetRevision(metadata.Revision);
        return created
            ? TypedResults.Created($"/v1/services/{Uri.EscapeDataString(metadata.Service)}/metadata?namespace={Uri.EscapeDataString(metadata.Namespace)}&group={Uri.EscapeDataString(metadata.Group)}", metadata)
            : TypedResults.Ok(metadata);
    }
}
