using System.Text.Json.Nodes;
using Mediator;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>The registry as Eureka shows it: every app of the Eureka group with its instances.</summary>
internal sealed record GetEurekaApplicationsQuery : IQuery<JsonObject>;

/// <summary>One app; 404 when it has no instance.</summary>
internal sealed record GetEurekaApplicationQuery(string AppId) : IQuery<Outcome<JsonObject>>;

/// <summary>One instance by its Eureka id, within an app or (<paramref name="AppId"/> null) anywhere, with its last renewal.</summary>
internal sealed record GetEurekaInstanceQuery(string? AppId, string InstanceId) : IQuery<Outcome<JsonObject>>;

internal sealed class GetEurekaApplicationsHandler(IMediator mediator, ChangeFeed feed)
    : IQueryHandler<GetEurekaApplicationsQuery, JsonObject>
{
    public async ValueTask<JsonObject> Handle(GetEurekaApplicationsQuery query, CancellationToken cancellationToken)
    {
        var revision = feed.Revision;
        var instances = await mediator.AllInstancesAsync(cancellationToken);
        return EurekaMapping.Applications(instances.Select(i => EurekaMapping.ToEureka(i)), revision);
    }
}

internal sealed class GetEurekaApplicationHandler(IMediator mediator) : IQueryHandler<GetEurekaApplicationQuery, Outcome<JsonObject>>
{
    public async ValueTask<Outcome<JsonObject>> Handle(GetEurekaApplicationQuery query, CancellationToken cancellationToken)
    {
        var instances = await mediator.InstancesOfAsync(EurekaMapping.ServiceName(query.AppId), cancellationToken);
        if (instances.Count == 0)
        {
            return NamingFailures.ServiceNotFound(EurekaDirectory.ServiceKey(query.AppId));
        }

        return new JsonObject
        {
            ["application"] = EurekaMapping.Application(
                EurekaMapping.AppName(instances[0].Service), instances.Select(i => EurekaMapping.ToEureka(i))),
        };
    }
}

internal sealed class GetEurekaInstanceHandler(IMediator mediator, EurekaInstanceIndex index) : IQueryHandler<GetEurekaInstanceQuery, Outcome<JsonObject>>
{
    public async ValueTask<Outcome<JsonObject>> Handle(GetEurekaInstanceQuery query, CancellationToken cancellationToken)
    {
        var instance = query.AppId is { } app
            ? await mediator.FindEurekaInstanceAsync(index, app, query.InstanceId, cancellationToken)
            : (await mediator.AllInstancesAsync(cancellationToken)).FirstOrDefault(i => EurekaMapping.Matches(i, query.InstanceId));
        if (instance is { LastHeartbeatAt: null }
            && (await mediator.Send(new GetInstanceQuery(instance.Namespace, instance.Group, instance.Service, instance.Id), cancellationToken)).Value is { } read)
        {
            // The single read carries the last renewal.
            instance = read;
        }

        return instance is null
            ? new Failure(StatusCodes.Status404NotFound, "instance-not-found", "The instance is not registered.",
                $"Instance '{query.InstanceId}' is not registered.")
            : new JsonObject { ["instance"] = EurekaMapping.ToEureka(instance) };
    }
}
