using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Audit;

internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit", ListAudit).WithName(nameof(ListAudit)).WithTags("Audit")
            .WithSummary("The audit log, newest first: changes and refused requests.")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .ProducesValidationProblem().ProducesAccessProblems();
        return app;
    }

    /// <param name="actor">Only entries of this actor.</param>
    /// <param name="action">Only actions starting with this, e.g. <c>config.</c> or <c>auth.denied</c>.</param>
    /// <param name="namespace">Only entries of this namespace.</param>
    /// <param name="outcome"><c>ok</c> or <c>denied</c>.</param>
    /// <param name="from">Only entries at or after this time.</param>
    /// <param name="to">Only entries at or before this time.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Entries per page, 1..1000; default 100.</param>
    private static async Task<Ok<Paged<AuditEntryInfo>>> ListAudit(
        string? actor, string? action, string? @namespace, string? outcome, DateTimeOffset? from, DateTimeOffset? to,
        int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new ListAuditQuery(actor, action, @namespace, outcome, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct));
}
