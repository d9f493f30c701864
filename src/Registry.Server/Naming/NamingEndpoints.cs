using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Naming;

internal static class NamingEndpoints
{
    public static IEndpointRouteBuilder MapNaming(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/v1/services").WithTags("Services");
        services.MapGet("", ListServices).WithName(nameof(ListServices)).RequireAccess(Roles.Read)
            .WithSummary("List the services of a group, paged and searchable, with instance counts.")
            .ProducesValidationProblem();
        services.MapGet("/{service}", GetService).WithName(nameof(GetService)).RequireAccess(Roles.Read)
            .WithSummary("Read a service with its instance counts per cluster.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        services.MapPut("/{service}", PutService).WithName(nameof(PutService)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Create a service or update its protect threshold, metadata and health check (of its persistent instances).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        services.MapDelete("/{service}", DeleteService).WithName(nameof(DeleteService)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Delete a service; refused while it has instances.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();

        services.MapGet("/watch", WatchServices).WithName(nameof(WatchServices)).RequireAccess(Roles.Read).WithTags("Instances")
            .WithSummary("Server-sent events of the instance lists of every service of a group (group=* for a namespace).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem();
        services.MapGet("/{service}/watch", WatchService).WithName(nameof(WatchService)).RequireAccess(Roles.Read).WithTags("Instances")
            .WithSummary("Server-sent events of a service's instance list (event: instances) and metadata (event: metadata).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem();

        var instances = services.MapGroup("/{service}/instances").WithTags("Instances");
        instances.MapPut("", RegisterInstance).WithName(nameof(RegisterInstance)).RequireAccess(Roles.Register).RateLimitedWrite()
            .WithSummary("Register an instance, or update it (idempotent upsert); renews its lease.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        instances.MapGet("", ListInstances).WithName(nameof(ListInstances)).RequireAccess(Roles.Read)
            .WithSummary("List a service's instances; an unknown service has none.")
            .Produces<InstanceList>().ProducesValidationProblem();
        instances.MapGet("/pick", PickInstance).WithName(nameof(PickInstance)).RequireAccess(Roles.Read)
            .WithSummary("Pick one healthy, enabled instance at random by weight.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        instances.MapGet("/{id}", GetInstance).WithName(nameof(GetInstance)).RequireAccess(Roles.Read)
            .WithSummary("Read one instance, with the time of its last heartbeat.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        services.MapGet("/{service}/leases", ListLeases).WithName(nameof(ListLeases)).RequireAccess(Roles.Read).WithTags("Instances")
            .WithSummary("The leases of a service's instances: last heartbeat, when each turns unhealthy and when it is evicted.")
            .ProducesValidationProblem();
        instances.MapPatch("/{id}", PatchInstance).WithName(nameof(PatchInstance)).RecordsAuthor().RequireAccess(Roles.Write).RateLimitedWrite()
            .WithSummary("Admin change: enabled, weight, metadata, and of a persistent instance its health or health check.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();
        instances.MapDelete("/{id}", DeregisterInstance).WithName(nameof(DeregisterInstance)).RequireAccess(Roles.Register).RateLimitedWrite()
            .WithSummary("Deregister an instance.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems();
        instances.MapPut("/{id}/heartbeat", Heartbeat).WithName(nameof(Heartbeat)).RequireAccess(Roles.Register)
            .WithSummary("Renew an ephemeral instance's lease, with the application's own health (?healthy=false keeps it leased but out of healthy lists); 404 tells the client to register again.")
            .Produces<HeartbeatResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesWriteProblems();

        app.MapGet("/v1/tree", GetTree).WithName(nameof(GetTree)).RequireAccess(Roles.Read, NamespaceScope.Any).WithTags("Services")
            .WithSummary("The naming tree: namespaces, groups, services and clusters with instance counts.");
        return app;
    }

    /// <param name="scope">Namespace and group.</param>
    /// <param name="search">Part of the service name, case-insensitive.</param>
    /// <param name="page">1-based page; default 1.</param>
    /// <param name="pageSize">Items per page, 1..1000; default 100.</param>
    private static async Task<Ok<Paged<ServiceInfo>>> ListServices(
        [AsParameters] ScopeQuery scope, string? search, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new ListServicesQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, search, page ?? 1, pageSize ?? Paging.DefaultPageSize), ct));

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<Ok<ServiceInfo>, ProblemHttpResult>> GetService(
        string service, [AsParameters] ScopeQuery scope, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetServiceQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service), ct)).ToOk();

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="request">Protect threshold, metadata and health check; omitted fields keep their value.</param>
    private static async Task<Results<Created<ServiceInfo>, Ok<ServiceInfo>, ProblemHttpResult>> PutService(
        string service, [AsParameters] ScopeQuery scope, ServiceRequest? request, IMediator mediator, HttpResponse response,
        CancellationToken ct)
    {
        var outcome = await mediator.Send(new PutServiceCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, request?.ProtectThreshold, request?.Metadata, request?.HealthCheck,
            RequestActors.From(response.HttpContext.Request)), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var (info, created) = outcome.Value!;
        response.SetRevision(info.Revision);
        return created ? TypedResults.Created(ServiceLocation(info), info) : TypedResults.Ok(info);
    }

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteService(
        string service, [AsParameters] ScopeQuery scope, IMediator mediator, HttpResponse response, CancellationToken ct) =>
        (await mediator.Send(new DeleteServiceCommand(scope.NamespaceOrDefault, scope.GroupOrDefault, service, RequestActors.From(response.HttpContext.Request)), ct))
            .ToNoContent(response);

    /// <param name="service">The service name; created on first registration.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="request">The instance.</param>
    private static async Task<Results<Created<InstanceInfo>, Ok<InstanceInfo>, ProblemHttpResult>> RegisterInstance(
        string service, [AsParameters] ScopeQuery scope, RegisterInstanceRequest request, IMediator mediator,
        HttpResponse response, CancellationToken ct)
    {
        var outcome = await mediator.Send(new RegisterInstanceCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, request.Ip, request.Port, request.Cluster,
            request.Weight, request.Enabled, request.Ephemeral, request.Metadata,
            request.HeartbeatIntervalMs, request.UnhealthyAfterMs, request.EvictAfterMs, request.HealthCheck), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var (instance, created) = outcome.Value!;
        response.SetRevision(instance.Revision);
        return created ? TypedResults.Created(InstanceLocation(instance), instance) : TypedResults.Ok(instance);
    }

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="healthyOnly">Only healthy, enabled instances (unless the protect threshold is reached).</param>
    /// <param name="cluster">Comma-separated clusters to include; all when omitted.</param>
    /// <param name="protocol">Only instances that serve this protocol, each with its endpoint for it.</param>
    private static async Task<Utf8JsonResult> ListInstances(
        string service, [AsParameters] ScopeQuery scope, bool? healthyOnly, string? cluster, string? protocol,
        IMediator mediator, CancellationToken ct) =>
        new(await mediator.Send(new ListInstancesQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, healthyOnly ?? false, cluster, protocol), ct));

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="healthyOnly">Lists hold only healthy, enabled instances (unless the protect threshold is reached).</param>
    /// <param name="cluster">Comma-separated clusters to include; all when omitted.</param>
    /// <param name="protocol">Only instances that serve this protocol, each with its endpoint for it.</param>
    /// <param name="snapshot">First send the service's current list.</param>
    /// <param name="lastEventId">Resume after this revision, for clients that cannot send the Last-Event-ID header.</param>
    /// <param name="lastEventIdHeader">Resume after this revision: the id of the last event received.</param>
    private static async Task<IResult> WatchService(
        string service, [AsParameters] ScopeQuery scope, bool? healthyOnly, string? cluster, string? protocol, bool? snapshot,
        string? lastEventId, [FromHeader(Name = LastEventIds.Header)] string? lastEventIdHeader, IMediator mediator, CancellationToken ct) =>
        new EventStreamResult(await mediator.Send(new WatchServicesQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, healthyOnly ?? false, cluster, protocol, snapshot ?? false,
            lastEventIdHeader ?? lastEventId), ct));

    /// <param name="scope">Namespace and group (<c>*</c> watches every group of the namespace).</param>
    /// <param name="healthyOnly">Lists hold only healthy, enabled instances (unless the protect threshold is reached).</param>
    /// <param name="cluster">Comma-separated clusters to include; all when omitted.</param>
    /// <param name="protocol">Only instances that serve this protocol, each with its endpoint for it.</param>
    /// <param name="snapshot">First send the current list of every watched service.</param>
    /// <param name="lastEventId">Resume after this revision, for clients that cannot send the Last-Event-ID header.</param>
    /// <param name="lastEventIdHeader">Resume after this revision: the id of the last event received.</param>
    private static async Task<IResult> WatchServices(
        [AsParameters] ScopeQuery scope, bool? healthyOnly, string? cluster, string? protocol, bool? snapshot,
        string? lastEventId, [FromHeader(Name = LastEventIds.Header)] string? lastEventIdHeader, IMediator mediator, CancellationToken ct) =>
        new EventStreamResult(await mediator.Send(new WatchServicesQuery(
            scope.NamespaceOrDefault, scope.GroupOrDefault, Service: null, healthyOnly ?? false, cluster, protocol, snapshot ?? false,
            lastEventIdHeader ?? lastEventId), ct));

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="cluster">Comma-separated clusters to pick from; all when omitted.</param>
    /// <param name="protocol">Pick among instances that serve this protocol; the answer carries its endpoint.</param>
    private static async Task<Results<Ok<InstanceInfo>, ProblemHttpResult>> PickInstance(
        string service, [AsParameters] ScopeQuery scope, string? cluster, string? protocol, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new PickInstanceQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service, cluster, protocol), ct)).ToOk();

    /// <param name="service">The service name.</param>
    /// <param name="id">The instance id, <c>ip#port#cluster</c> (URL-encoded: <c>%23</c> for <c>#</c>).</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<Ok<InstanceInfo>, ProblemHttpResult>> GetInstance(
        string service, string id, [AsParameters] ScopeQuery scope, IMediator mediator, CancellationToken ct) =>
        (await mediator.Send(new GetInstanceQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service, id), ct)).ToOk();

    /// <param name="service">The service name.</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Ok<IReadOnlyList<InstanceLease>>> ListLeases(
        string service, [AsParameters] ScopeQuery scope, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListLeasesQuery(scope.NamespaceOrDefault, scope.GroupOrDefault, service), ct));

    /// <param name="service">The service name.</param>
    /// <param name="id">The instance id, <c>ip#port#cluster</c> (URL-encoded: <c>%23</c> for <c>#</c>).</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="request">The fields to change.</param>
    private static async Task<Results<Ok<InstanceInfo>, ProblemHttpResult>> PatchInstance(
        string service, string id, [AsParameters] ScopeQuery scope, PatchInstanceRequest request, IMediator mediator,
        HttpResponse response, CancellationToken ct)
    {
        var outcome = await mediator.Send(new PatchInstanceCommand(
            scope.NamespaceOrDefault, scope.GroupOrDefault, service, id,
            request.Enabled, request.Weight, request.Healthy, request.Metadata, RequestActors.From(response.HttpContext.Request),
            request.HealthCheck), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(outcome.Value!.Revision);
        return TypedResults.Ok(outcome.Value);
    }

    /// <param name="service">The service name.</param>
    /// <param name="id">The instance id, <c>ip#port#cluster</c> (URL-encoded: <c>%23</c> for <c>#</c>).</param>
    /// <param name="scope">Namespace and group.</param>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeregisterInstance(
        string service, string id, [AsParameters] ScopeQuery scope, IMediator mediator, HttpResponse response,
        CancellationToken ct) =>
        (await mediator.Send(new DeregisterInstanceCommand(scope.NamespaceOrDefault, scope.GroupOrDefault, service, id), ct))
            .ToNoContent(response);

    /// <param name="service">The service name.</param>
    /// <param name="id">The instance id, <c>ip#port#cluster</c> (URL-encoded: <c>%23</c> for <c>#</c>).</param>
    /// <param name="scope">Namespace and group.</param>
    /// <param name="healthy">The application's own health (its health checks); <c>false</c> takes the instance out of healthy lists and picks while its lease goes on, until a beat says <c>true</c> (the default).</param>
    private static async Task<Results<Utf8JsonResult, ProblemHttpResult>> Heartbeat(
        string service, string id, [AsParameters] ScopeQuery scope, bool? healthy, HttpResponse response, IMediator mediator, CancellationToken ct)
    {
        var outcome = await mediator.Send(new HeartbeatCommand(scope.NamespaceOrDefault, scope.GroupOrDefault, service, id, healthy ?? true), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        // A beat that changed the instance's health is a change, with its revision.
        if (outcome.Value.Revision is { } revision)
        {
            response.SetRevision(revision);
        }

        return new Utf8JsonResult(HeartbeatReplies.Json(outcome.Value.Reply));
    }

    private static async Task<Ok<NamingTree>> GetTree(HttpContext http, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetTreeQuery(NamespaceAccess.Of(http)), ct));

    private static string ServiceLocation(ServiceInfo service) =>
        $"/v1/services/{Uri.EscapeDataString(service.Name)}?namespace={Uri.EscapeDataString(service.Namespace)}&group={Uri.EscapeDataString(service.Group)}";

    private static string InstanceLocation(InstanceInfo instance) =>
        $"/v1/services/{Uri.EscapeDataString(instance.Service)}/instances/{Uri.EscapeDataString(instance.Id)}"
        + $"?namespace={Uri.EscapeDataString(instance.Namespace)}&group={Uri.EscapeDataString(instance.Group)}";
}
