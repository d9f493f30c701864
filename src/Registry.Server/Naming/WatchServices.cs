using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Naming;

/// <summary>
/// Opens a watch on naming changes: one service, or every service of a group (or of a namespace with
/// <c>group=*</c>). Each change sends <c>event: instances</c> with the service's instance list after the
/// same filters as a list, and a metadata change also sends <c>event: metadata</c> with the document.
/// </summary>
internal sealed record WatchServicesQuery(
    string Namespace, string Group, string? Service, bool HealthyOnly, string? Cluster, string? Protocol, bool Snapshot, string? LastEventId)
    : IQuery<Watch>;

internal sealed class WatchServicesValidator : AbstractValidator<WatchServicesQuery>
{
    public WatchServicesValidator()
    {
        RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(q => q.Group).ValidGroupOrAny().When(q => q.Service is null);
        RuleFor(q => q.Group).ValidName(NameRules.GroupMaxLength).When(q => q.Service is not null);
        RuleFor(q => q.Service).ValidName(NameRules.ServiceMaxLength).When(q => q.Service is not null);
        RuleFor(q => q.Cluster).ValidClusterList();
        RuleFor(q => q.Protocol).ValidProtocolName();
        RuleFor(q => q.LastEventId).ValidLastEventId();
    }
}

internal sealed class WatchServicesHandler(ServiceTable tree, ChangeFeed feed, ProjectionSet projections, LeasePolicy leases)
    : IQueryHandler<WatchServicesQuery, Watch>
{
    public ValueTask<Watch> Handle(WatchServicesQuery query, CancellationToken cancellationToken)
    {
        var filter = new InstanceFilter(query.HealthyOnly, query.Cluster ?? "", query.Protocol);
        var lastEventId = LastEventIds.Parse(query.LastEventId);
        bool InScope(ServiceKey key) =>
            key.Namespace == query.Namespace && (query.Group == NameRules.AnyGroup || key.Group == query.Group)
            && (query.Service is null || key.Name == query.Service);

        bool Filter(ChangeEvent change) =>
            change.Topic.Kind == NamingEvents.Kind && InScope(new ServiceKey(change.Topic.Namespace, change.Topic.Group, change.Topic.Name));
        SseMessage? Render(ChangeEvent change) => change.Payload switch
        {
            InstancesPayload instances => new SseMessage(NamingEvents.Instances, change.Revision, instances.Render(filter)),
            var payload => new SseMessage(change.Type, change.Revision, payload.Json),
        };

        if (!query.Snapshot)
        {
            return ValueTask.FromResult(new Watch(feed.Subscribe(Filter, lastEventId), Render, []));
        }

        var (subscription, snapshot) = projections.SubscribeWithSnapshot(Filter, lastEventId, subscription =>
            lastEventId is null || subscription.ResetRequired ? Snapshot(query, InScope, filter, subscription.StartRevision) : []);
        return ValueTask.FromResult(new Watch(subscription, Render, snapshot));
    }

    /// <summary>
    /// The state a fresh watch starts from: per service its metadata document (if it has one), then its list. A
    /// single service that does not exist yet gets its empty list, so the client knows where it stands.
    /// </summary>
    private List<SseMessage> Snapshot(WatchServicesQuery query, Func<ServiceKey, bool> inScope, InstanceFilter filter, long revision)
    {
        var services = tree.Services
            .Where(s => inScope(s.Key))
            .OrderBy(s => s.Key.Group, StringComparer.Ordinal).ThenBy(s => s.Key.Name, StringComparer.Ordinal)
            .ToList();
        if (query.Service is not null && services.Count == 0)
        {
            return [new SseMessage(NamingEvents.Instances, revision, InstanceSelection.RenderedEmpty(new ServiceKey(query.Namespace, query.Group, query.Service)))];
        }

        var messages = new List<SseMessage>();
        foreach (var service in services)
        {
            if (service.Routing is { } routing)
            {
                messages.Add(new SseMessage(NamingEvents.Metadata, revision, routing.Document.Json));
            }

            messages.Add(new SseMessage(NamingEvents.Instances, revision, InstanceSelection.Rendered(service, filter, leases)));
        }

        return messages;
    }
}
