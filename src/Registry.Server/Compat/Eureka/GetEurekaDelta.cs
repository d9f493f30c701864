using System.Text.Json.Nodes;
using Mediator;
using Registry.Server.Events;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// The changes of the last three minutes, each instance with its <c>actionType</c>; <c>apps__hashcode</c> is
/// that of the whole registry, so a client that applied the delta can tell whether it is in step. An instance
/// that changed several times appears once, in its latest state and with the action of its latest change, as
/// Eureka reports it: an instance added and then taken out of service within the window is MODIFIED. Clients
/// apply ADDED and MODIFIED alike (one that missed the add adds it), and some ignore an ADDED for an instance
/// they already hold, which would keep them routing to it.
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
        var latest = changes
            .GroupBy(c => (c.Instance.Service, c.Instance.Id))
            .Select(g => g.Last())
            .Select(last => EurekaMapping.ToEureka(last.Instance, last.ActionType));
        var delta = EurekaMapping.Applications(latest, revision);
        delta["applications"]!["apps__hashcode"] = EurekaMapping.HashCode(current.Select(i => EurekaMapping.ToEureka(i)));
        return delta;
    }
}
