using System.Text.Json.Nodes;
using Mediator;
using Registry.Server.Events;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// The changes of the last three minutes, each instance with its <c>actionType</c>; <c>apps__hashcode</c> is
/// that of the whole registry, so a client that applied the delta can tell whether it is in step. An instance
/// that changed several times appears once, in its latest state: DELETED if that was its last change, else
/// ADDED if it was added within the window (so a client that missed nothing and one that missed the add
/// both end up with it), else MODIFIED.
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
            .Select(g => (Last: g.Last(), Added: g.Any(c => c.ActionType == EurekaDelta.Added)))
            .Select(c => EurekaMapping.ToEureka(c.Last.Instance,
                c.Last.ActionType == EurekaDelta.Deleted || !c.Added ? c.Last.ActionType : EurekaDelta.Added));
        var delta = EurekaMapping.Applications(latest, revision);
        delta["applications"]!["apps__hashcode"] = EurekaMapping.HashCode(current.Select(i => EurekaMapping.ToEureka(i)));
        return delta;
    }
}
