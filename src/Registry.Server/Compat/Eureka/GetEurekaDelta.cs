using System.Text.Json.Nodes;
using Mediator;
using Registry.Server.Events;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// The changes of the last three minutes, each instance with its <c>actionType</c>; <c>apps__hashcode</c> is
/// that of the whole registry, so a client that applied the delta can tell whether it is in step.
/// </summary>
internal sealed record GetEurekaDeltaQuery : IQuery<JsonObject>;

internal sealed class GetEurekaDeltaHandler(IMediator mediator, EurekaDeltaQueue queue, ChangeFeed feed)
    : IQueryHandler<GetEurekaDeltaQuery, JsonObject>
{
    public async ValueTask<JsonObject> Handle(GetEurekaDeltaQuery query, CancellationToken cancellationToken)
    {
        var revision = feed.Revision;
        var changes = queue.Recent();
        var current = await mediator.AllInstancesAsync(cancellationToken);
        var delta = EurekaMapping.Applications(changes.Select(c => EurekaMapping.ToEureka(c.Instance, c.ActionType)), revision);
        delta["applications"]!["apps__hashcode"] = EurekaMapping.HashCode(current.Select(i => EurekaMapping.ToEureka(i)));
        return delta;
    }
}
