using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Documents;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Opens a watch on config changes: some data ids of a group, a whole group (no data id), or every group of
/// a namespace (<c>group=*</c>). <c>Snapshot</c> first sends the current state of every watched key;
/// <c>LastEventId</c> resumes after that revision. Where a gray release is going on, the watcher is sent the version
/// meant for its client, as soon as that is another one (its rule taken in or left out the client, or it ended).
/// </summary>
internal sealed record WatchConfigsQuery(
    string Namespace, string Group, IReadOnlyList<string> DataIds, bool Snapshot, string? LastEventId, ConfigClient Client)
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

internal sealed class WatchConfigsHandler(ConfigTable configs, ConfigClients clients, ChangeFeed feed, ProjectionSet projections)
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
        var render = new ClientView(configs, clients, query.Client);
        if (!query.Snapshot)
        {
            return ValueTask.FromResult(new Watch(feed.Subscribe(Filter, lastEventId), render.Render, []));
        }

        // A client that resumes already has the state; one that starts fresh (or must re-read) can ask for it.
        var (subscription, snapshot) = projections.SubscribeWithSnapshot(Filter, lastEventId, subscription =>
            lastEventId is null || subscription.ResetRequired
                ? configs.All
                    .Where(c => c.Value.Live is not null && Watched(c.Key.Namespace, c.Key.Group, c.Key.DataId))
                    .OrderBy(c => c.Key.Group, StringComparer.Ordinal).ThenBy(c => c.Key.DataId, StringComparer.Ordinal)
                    .Select(c => render.Snapshot(c.Key, subscription.StartRevision))
                    .ToList()
                : []);
        return ValueTask.FromResult(new Watch(subscription, render.Render, snapshot));
    }

    /// <summary>
    /// What one watcher is sent: each event as it is, unless a gray release of its item is going on (or just ended);
    /// then the version meant for the watcher's client, once, when it is another than the one it was sent last.
    /// </summary>
    private sealed class ClientView(ConfigTable configs, ConfigClients clients, ConfigClient client)
    {
        // Written only by the watch's one writer: the snapshot, then its events in order.
        private readonly Dictionary<ConfigKey, long> _sent = [];

        public SseMessage Snapshot(ConfigKey key, long revision)
        {
            var meant = Meant(key)!;
            Sent(key, meant);
            return new SseMessage(ConfigTable.EventKind, revision, ConfigTable.ToEvent(key, meant, ConfigNames.Snapshot).Payload.Json);
        }

        public SseMessage? Render(ChangeEvent change)
        {
            var key = new ConfigKey(change.Topic.Namespace, change.Topic.Group, change.Topic.Name);
            var payload = (ConfigPayload)change.Payload;
            if (!payload.Gray && configs.Find(key)?.Candidate is null)
            {
                // Unless a gray change just sent this version already: it was the one meant then.
                if (_sent.TryGetValue(key, out var sent) && sent == payload.Version)
                {
                    return null;
                }

                _sent[key] = payload.Version;
                return new SseMessage(change.Type, change.Revision, payload.Json);
            }

            if (Meant(key) is not { } meant || _sent.GetValueOrDefault(key) == meant.Version)
            {
                return null;
            }

            // An older version is meant because of this change (a fallback, sent under its op); a newer one because the
            // watcher is behind the item, and it is sent as what it is.
            Sent(key, meant);
            var json = meant.Version == payload.Version ? payload.Json
                : ConfigTable.ToEvent(key, meant, meant.Version > payload.Version ? meant.Op : payload.Op).Payload.Json;
            return new SseMessage(change.Type, change.Revision, json);
        }

        /// <summary>The version meant for the client, or the deletion the item's history ends with.</summary>
        private DocumentVersion<ConfigBody>? Meant(ConfigKey key) => configs.Resolve(key, client) ?? configs.Find(key)?.Current;

        private void Sent(ConfigKey key, DocumentVersion<ConfigBody> version)
        {
            _sent[key] = version.Version;
            if (!version.Deleted)
            {
                clients.Saw(key, client, version, ConfigClients.Watch);
            }
        }
    }
}
