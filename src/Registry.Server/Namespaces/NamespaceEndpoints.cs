using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Namespaces;

internal static class NamespaceEndpoints
{
    public static IEndpointRouteBuilder MapNamespaces(this IEndpointRouteBuilder app)
    {
        var namespaces = app.MapGroup("/v1/namespaces").WithTags("Namespaces");
        namespaces.MapGet("", ListNamespaces).WithName(nameof(ListNamespaces)).RequireAccess(Roles.Read, NamespaceScope.Any)
            .WithSummary("List namespaces, paged and searchable, with service and instance counts.")
            .ProducesValidationProblem();
        namespaces.MapGet("/{namespace}", GetNamespace).WithName(nameof(GetNamespace)).RequireAccess(Roles.Read)
            .WithSummary("Read a namespace with its counts.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        namespaces.MapPut("/{namespace}", PutNamespace).WithName(nameof(PutNamespace)).RecordsAuthor().RequireAccess(Roles.Admin).RateLimitedWrite()
            .WithSummary("Create a namespace or update its display name and description.")
            .ProducesValidationProblem().ProducesWriteProblems();
        namespaces.MapDelete("/{namespace}", DeleteNamespace).WithName(nameof(DeleteNamespace)).RecordsAuthor().RequireAccess(Roles.Admin).RateLimitedWrite()
            .WithSummary("Delete an empty namespace; the default namespace 'public' always exists.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();
        return app;
    }

    /// <param name="search">Part of the id or display name, case-insensitive.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Items per page, 1..1000; default 100.</param>
    private static async Task<Ok<Paged<NamespaceInfo>>> ListNamespaces(
        string? search, int? page, int? pageSize, HttpContext http, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new ListNamespacesQuery(search, page ?? 1, pageSize ?? Paging.DefaultPageSize, NamespaceAccess.Of(http)), ct));

    /// <param name="namespace">The namespace id.</param>
    private static async Task<Results<Ok<NamespaceInfo>, ProblemHttpResult>> GetNamespace(
        string @namespace, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetNamespaceQuery(@namespace), ct)).ToOk();

    /// <param name="namespace">The namespace id.</param>
    /// <param name="request">Display name and description; optional.</param>
    private static async Task<Results<Created<NamespaceInfo>, Ok<NamespaceInfo>>> PutNamespace(
        string @namespace, NamespaceRequest? request, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var (info, created) = await mediator.Send(
            new PutNamespaceCommand(@namespace, request?.DisplayName, request?.Description, RequestActors.From(response.HttpContext.Request)), ct);
        response.SetRevision(info.Revision);
        return created
            ? TypedResults.Created($"/v1/namespaces/{Uri.EscapeDataString(info.Id)}", info)
            : TypedResults.Ok(info);
    }

    /// <param name="namespace">The namespace id.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteNamespace(
        string @namespace, IMediator mediator, HttpResponse response, CancellationToken ct) =>
        (await mediator.Send(new DeleteNamespaceCommand(@namespace, RequestActors.From(response.HttpContext.Request)), ct)).ToNoContent(response);
}
