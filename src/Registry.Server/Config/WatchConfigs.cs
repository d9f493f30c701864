using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Opens a watch on config changes: some data ids of a group, a whole group (no data id), or every group of
/// a namespace (<c>group=*</c>). <c>Snapshot</c> first sends the current state of every watched key;
/// <c>LastEventId</c> resumes after that revision.
/// </summary>
internal sealed record WatchConfigsQuery(string Namespace, string Group, IReadOnlyList<string> DataIds, bool Snapshot, string? LastEventId)
    : IQuery<Watch>;

internal sealed class WatchConfigsValidator : AbstractValidator<WatchConfigsQuery>
{
    public const int MaxDataIds = 256;

    public WatchConfigsValidator()
    {
        RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(q => q.Group).ValidGroupOrAny();
        RuleFor(q => q.DataIds.Count).LessThanOrEqualTo(MaxDataIds).OverridePropertyName("dataId")
            .WithMessage($"'dataId' may be given at most {MaxDataIds} times; watch the group instead.");
        RuleForEach(q => q.DataIds).ValidName(NameRules.DataIdMaxLength).WithName("dataId").OverridePropertyName("dataId");
        RuleFor(q => q.LastEventId).ValidLastEventId();
    }
}

internal sealed class WatchConfigsHandler(ConfigTable configs, ChangeFeed feed, ProjectionSet projections)
    : IQueryHandler<WatchConfigsQuery, Watch>
{
    public ValueTask<Watch> Handle(WatchConfigsQuery query, CancellationToken cancellationToken)
    {
        var dataIds = query.DataIds.ToHashSet(StringComparer.Ordinal);
        var lastEventId = LastEventIds.Parse(query.LastEventId);
        bool Watched(string ns, string group, string dataId) =>
            ns == query.Namespace && (query.Group == NameRules.AnyGroup || group == query.Group)
            && (dataIds.Count == 0 || dataIds.Contains(dataId));

        bool Filter(ChangeEvent change) =>
            change.Topic.Kind == ConfigTable.EventKind && Watched(change.Topic.Namespace, change.Topic.Group, change.Topic.Name);
        if (!query.Snapshot)
        {
            return ValueTask.FromResult(new Watch(feed.Subscribe(Filter, lastEventId), Render, []));
        }

        // A client that resumes already has the state; one that starts fresh (or must re-read) can ask for it.
        var (subscription, snapshot) = projections.SubscribeWithSnapshot(Filter, lastEventId, subscription =>
            lastEventId is null || subscription.ResetRequired
                ? configs.All
                    .Where(c => c.Value.Live is not null && Watched(c.Key.Namespace, c.Key.Group, c.Key.DataId))
                    .OrderBy(c => c.Key.Group, StringComparer.Ordinal).ThenBy(c => c.Key.DataId, StringComparer.Ordinal)
                    .Select(c => Snapshot(ConfigTable.ToEvent(c.Key, c.Value.Current, ConfigNames.Snapshot), subscription.StartRevision))
                    .ToList()
                : []);
        return ValueTask.FromResult(new Watch(subscription, Render, snapshot));
    }

    private static SseMessage Snapshot(ChangeEvent change, long revision) => new(change.Type, revision, change.Payload.Json);

    private static SseMessage? Render(ChangeEvent change) => new(change.Type, change.Revision, change.Payload.Json);
}
