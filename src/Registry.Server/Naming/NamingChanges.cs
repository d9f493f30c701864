using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Naming;

/// <summary>A service created, or its record (protect threshold, metadata) changed.</summary>
internal sealed record ServicePut(ServiceKey Service, ServiceRecord Record) : Change
{
    public override string Key() => NamingChanges.Key(Service);

    public override IEnumerable<string> Scopes() => [NamespaceChanges.Contents(Service.Namespace)];

    public override void Materialize(IDocumentWriter writer, long revision) =>
        NamingChanges.Services.Put(writer, Service.ToString(), Record with { Revision = revision });
}

/// <summary>An empty service removed.</summary>
internal sealed record ServiceRemoved(ServiceKey Service) : Change
{
    public override string Key() => NamingChanges.Key(Service);

    public override IEnumerable<string> Scopes() => [NamespaceChanges.Contents(Service.Namespace)];

    public override void Materialize(IDocumentWriter writer, long revision) => NamingChanges.Services.Delete(writer, Service.ToString());
}

/// <summary>
/// An instance registered, or its registration changed (an admin's patch, its health). Instances change too often to
/// write one by one: the snapshot store holds them whole, as the naming tree writes them at checkpoints.
/// </summary>
/// <param name="Created">The instance did not exist before.</param>
internal sealed record InstancePut(ServiceKey Service, InstanceRecord Record, bool Created) : Change
{
    public override string Key() => NamingChanges.Key(Service, Record.Id);

    public override IEnumerable<string> Scopes() => [NamingChanges.Instances(Service)];

    public override void Materialize(IDocumentWriter writer, long revision)
    {
    }

    public override void MaterializeAlone(IDocumentWriter writer, long revision) =>
        NamingChanges.InstanceDocuments.Put(writer, Service.InstanceKey(Record.Id), Record with { Revision = revision }, Created);
}

/// <summary>An instance deregistered or evicted; like a registration, held by the naming tree's snapshot.</summary>
internal sealed record InstanceRemoved(ServiceKey Service, string Id) : Change
{
    public override string Key() => NamingChanges.Key(Service, Id);

    public override IEnumerable<string> Scopes() => [NamingChanges.Instances(Service)];

    public override void Materialize(IDocumentWriter writer, long revision)
    {
    }

    public override void MaterializeAlone(IDocumentWriter writer, long revision) =>
        NamingChanges.InstanceDocuments.Delete(writer, Service.InstanceKey(Id));
}

/// <summary>Where the naming tree lives in the snapshot store, and the keys its changes write.</summary>
internal static class NamingChanges
{
    public static readonly StoreCollection<ServiceRecord> Services = new("services", NamingJson.Default.ServiceRecord);

    /// <summary>
    /// Instances one by one (<c>ns/group/service/id</c>): as the cluster store holds them, and as versions before the
    /// naming snapshot wrote them (read at start, then cleared).
    /// </summary>
    public static readonly StoreCollection<InstanceRecord> InstanceDocuments = new("instances", NamingJson.Default.InstanceRecord);

    /// <summary>The naming snapshot: each service's instances in id order, in chunks (<c>ns/group/service/000000</c>).</summary>
    public static readonly StoreCollection<InstanceRecord[]> InstanceChunks = new("service_instances", NamingJson.Default.InstanceRecordArray);

    public static readonly ChangeType[] Types =
    [
        ChangeType.Of("service.put", NamingJson.Default.ServicePut),
        ChangeType.Of("service.removed", NamingJson.Default.ServiceRemoved),
        ChangeType.Of("instance.put", NamingJson.Default.InstancePut),
        ChangeType.Of("instance.removed", NamingJson.Default.InstanceRemoved),
    ];

    public static string Key(ServiceKey service) => "services/" + service;

    public static string Key(ServiceKey service, string id) => "instances/" + service + "/" + id;

    /// <summary>Written by every change to a service's instances: deleting a service because it is empty depends on it.</summary>
    public static string Instances(ServiceKey service) => "services/" + service + "/instances";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceRecord))]
[JsonSerializable(typeof(InstanceRecord))]
[JsonSerializable(typeof(InstanceRecord[]))]
[JsonSerializable(typeof(ServicePut))]
[JsonSerializable(typeof(ServiceRemoved))]
[JsonSerializable(typeof(InstancePut))]
[JsonSerializable(typeof(InstanceRemoved))]
internal sealed partial class NamingJson : JsonSerializerContext;
