using Mediator;
using Microsoft.AspNetCore.Routing.Patterns;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// Eureka's REST API (v2) under <c>/eureka/v2</c> (Netflix clients) and <c>/eureka</c> (Spring Cloud), over
/// the naming center's own commands and queries. Left out of the OpenAPI document: it is Eureka's contract,
/// not this server's.
/// </summary>
internal static class EurekaEndpoints
{
    public static IEndpointRouteBuilder MapEureka(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/eureka", "/eureka/v2" })
        {
            // Every call acts in the Eureka namespace, whatever ?namespace= says, so a token is checked for that one.
            var eureka = app.MapGroup(RoutePatternFactory.Parse(prefix, new { @namespace = EurekaMapping.Namespace }, null))
                .ExcludeFromDescription();
            eureka.MapPost("/apps/{appId}", Register).RequireAccess(Roles.Register).RateLimitedWrite()
                .WithBodyLimit(o => o.MaxBodyBytes);
            eureka.MapPut("/apps/{appId}/{instanceId}", Renew).RequireAccess(Roles.Register);
            eureka.MapDelete("/apps/{appId}/{instanceId}", Cancel).RequireAccess(Roles.Register).RateLimitedWrite();
            eureka.MapGet("/apps", Applications).RequireAccess(Roles.Read);
            eureka.MapGet("/apps/delta", Delta).RequireAccess(Roles.Read);
            eureka.MapGet("/apps/{appId}", Application).RequireAccess(Roles.Read);
            eureka.MapGet("/apps/{appId}/{instanceId}", Instance).RequireAccess(Roles.Read);
            eureka.MapGet("/instances/{instanceId}", InstanceAnywhere).RequireAccess(Roles.Read);
            eureka.MapPut("/apps/{appId}/{instanceId}/status", OverrideStatus).RequireAccess(Roles.Write).RateLimitedWrite();
            eureka.MapDelete("/apps/{appId}/{instanceId}/status", RemoveStatusOverride).RequireAccess(Roles.Write).RateLimitedWrite();
            eureka.MapPut("/apps/{appId}/{instanceId}/metadata", PutMetadata).RequireAccess(Roles.Write).RateLimitedWrite();
        }

        return app;
    }

    /// <summary>204 on success: eureka-js-client counts nothing else as registered.</summary>
    private static async Task<IResult> Register(string appId, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        if (EurekaPayload.Parse(body, request.ContentType) is not { } document)
        {
            return Malformed("The body is not a valid JSON or XML instance.");
        }

        var (form, error) = EurekaInstanceForm.Read(document);
        if (form is null)
        {
            return Malformed(error!);
        }

        var outcome = await mediator.Send(new RegisterEurekaInstanceCommand(appId, form.WithId()), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();
    }

    /// <summary>The optional <c>status</c>, <c>lastDirtyTimestamp</c> and <c>overriddenstatus</c> query parameters are ignored.</summary>
    private static async Task<IResult> Renew(string appId, string instanceId, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new RenewEurekaLeaseCommand(appId, instanceId), ct) is { Failure: { } failure }
            ? failure.ToProblem()
            : TypedResults.Ok();

    private static async Task<IResult> Cancel(string appId, string instanceId, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CancelEurekaLeaseCommand(appId, instanceId), ct);
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(outcome.Value);
        return TypedResults.Ok();
    }

    private static async Task<IResult> Applications(HttpRequest request, IMediator mediator, CancellationToken ct) =>
        EurekaPayload.Result(await mediator.Send(new GetEurekaApplicationsQuery(), ct), request);

    private static async Task<IResult> Delta(HttpRequest request, IMediator mediator, CancellationToken ct) =>
        EurekaPayload.Result(await mediator.Send(new GetEurekaDeltaQuery(), ct), request);

    private static async Task<IResult> Application(string appId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetEurekaApplicationQuery(appId), ct) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var found => EurekaPayload.Result(found.Value!, request),
        };

    private static async Task<IResult> Instance(string appId, string instanceId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetEurekaInstanceQuery(appId, instanceId), ct) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var found => EurekaPayload.Result(found.Value!, request),
        };

    private static async Task<IResult> InstanceAnywhere(string instanceId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetEurekaInstanceQuery(AppId: null, instanceId), ct) switch
        {
            { Failure: { } failure } => failure.ToProblem(),
            var found => EurekaPayload.Result(found.Value!, request),
        };

    /// <param name="value">The status to force, e.g. <c>OUT_OF_SERVICE</c>.</param>
    private static async Task<IResult> OverrideStatus(
        string appId, string instanceId, string? value, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        Patched(await mediator.Send(new OverrideEurekaStatusCommand(appId, instanceId, value ?? "", RequestActors.From(request)), ct), request.HttpContext.Response);

    /// <summary>The <c>value</c> query parameter (a fallback hint in Eureka) is ignored: the client's own status applies again.</summary>
    private static async Task<IResult> RemoveStatusOverride(
        string appId, string instanceId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        Patched(await mediator.Send(new OverrideEurekaStatusCommand(appId, instanceId, null, RequestActors.From(request)), ct), request.HttpContext.Response);

    private static async Task<IResult> PutMetadata(
        string appId, string instanceId, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var entries = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return Patched(await mediator.Send(new PutEurekaMetadataCommand(appId, instanceId, entries, RequestActors.From(request)), ct), request.HttpContext.Response);
    }

    private static IResult Patched(Outcome<Registry.Contracts.Naming.InstanceInfo> outcome, HttpResponse response)
    {
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(outcome.Value!.Revision);
        return TypedResults.Ok();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Malformed(string detail) => TypedResults.Problem(
        detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request body cannot be read.",
        extensions: new Dictionary<string, object?> { [Problems.CodeMember] = "malformed-body" });
}

internal static class EurekaServices
{
    /// <summary>The delta queue; registered after the store loader, so it starts from the loaded registry.</summary>
    public static IServiceCollection AddEureka(this IServiceCollection services)
    {
        services.AddSingleton<EurekaInstanceIndex>();
        services.AddSingleton<EurekaDeltaQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<EurekaDeltaQueue>());
        return services;
    }
}
