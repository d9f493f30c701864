using System.Text.Json;
using Microsoft.Extensions.Options;
using Registry.Server.Documents;
using Registry.Server.Events;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// The services' metadata documents in memory, a projection of the log. Each version applied is pushed to watchers
/// of the service and sets how naming routes consumers to its instances (weights, protocols); a service deleted
/// takes its document with it.
/// </summary>
internal sealed class MetadataTable(ServiceTable services, IOptions<MetadataOptions> options, IChangeLog log)
    : DocumentTable<ServiceKey, MetadataBody>(MetadataDocuments.Kind, log), IServiceDependents
{
    public override int MaxVersions => options.Value.HistoryMaxVersions;

    public IEnumerable<Change> Remove(ServiceKey service) => Find(service) is null ? [] : [new MetadataRemoved(service)];

    public override Change Trim(ServiceKey key, DocumentHead<MetadataBody> head, long trimmedFrom) => new MetadataTrimmed(key, head, trimmedFrom);

    protected override Change Write(
        ServiceKey key, DocumentVersion<MetadataBody> version, long firstVersion, long trimmedFrom, DocumentVersion<MetadataBody>? current,
        DocumentVersion<MetadataBody>? candidate) =>
        new MetadataWritten(key, version, firstVersion, trimmedFrom, current, candidate);

    protected override void Loaded(ServiceKey key, DocumentHead<MetadataBody> head) =>
        services.SetRouting(key, Routing(key, head.Current), head.Current.Revision, events: null);

    protected override void Written(ServiceKey key, DocumentHead<MetadataBody> head, DocumentVersion<MetadataBody> written, EventBatch events)
    {
        // The document first, then the instance list it changes (effective weights, endpoints): same revision, that order.
        var document = new MetadataPayload(key, head.Current);
        events.Add(new ChangeEvent(head.Current.Revision, NamingEvents.Topic(key), NamingEvents.Metadata, document));
        services.SetRouting(key, Routing(key, head.Current, document), head.Current.Revision, events);
    }

    protected override void Removed(ServiceKey key, long revision, EventBatch events) => services.SetRouting(key, null, revision, events);

    private static ServiceRouting? Routing(ServiceKey key, DocumentVersion<MetadataBody> version, MetadataPayload? document = null) =>
        version.Body is { } body
            ? new ServiceRouting(body.Protocols, body.DefaultWeight, body.InstanceWeights, document ?? new MetadataPayload(key, version))
            : null;
}

/// <summary>The <c>metadata</c> event of a service: its document as of a version, serialized once.</summary>
internal sealed class MetadataPayload(ServiceKey key, DocumentVersion<MetadataBody> version) : EventPayload
{
    public override int Size => Json.Length + 64;

    protected override byte[] Render() => JsonSerializer.SerializeToUtf8Bytes(version.ToInfo(key), MetadataJson.Default.ServiceMetadataInfo);
}
