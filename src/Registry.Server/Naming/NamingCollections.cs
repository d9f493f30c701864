using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>Where the naming tree lives in the store.</summary>
internal static class NamingCollections
{
    public static readonly StoreCollection<NamespaceRecord> Namespaces =
        new("namespaces", NamingStoreJson.Default.NamespaceRecord);

    public static readonly StoreCollection<ServiceRecord> Services =
        new("services", NamingStoreJson.Default.ServiceRecord);

    public static readonly StoreCollection<InstanceRecord> Instances =
        new("instances", NamingStoreJson.Default.InstanceRecord);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NamespaceRecord))]
[JsonSerializable(typeof(ServiceRecord))]
[JsonSerializable(typeof(InstanceRecord))]
internal sealed partial class NamingStoreJson : JsonSerializerContext;
