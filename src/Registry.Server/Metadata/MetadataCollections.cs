using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Metadata;
using Registry.Server.Storage;

namespace Registry.Server.Metadata;

/// <summary>Where metadata documents live in the store: current state by service key, and history by version.</summary>
internal static class MetadataCollections
{
    public static readonly StoreCollection<ServiceMetadataRecord> Documents =
        new("service_metadata", MetadataStoreJson.Default.ServiceMetadataRecord);

    public static readonly StoreCollection<ServiceMetadataRecord> History =
        new("service_metadata_history", MetadataStoreJson.Default.ServiceMetadataRecord);

    public static string VersionKey(string serviceKey, long version) => $"{serviceKey}/{version:D12}";

    /// <summary>A version of a service's document from history, or null when it is not kept.</summary>
    public static ServiceMetadataRecord? ReadVersion(IRegistryStore store, string serviceKey, long version) =>
        store.Get(History.Name, VersionKey(serviceKey, version)) is { } bytes ? History.Deserialize(bytes) : null;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceMetadataRecord))]
[JsonSerializable(typeof(ServiceMetadataInfo))]
internal sealed partial class MetadataStoreJson : JsonSerializerContext;
