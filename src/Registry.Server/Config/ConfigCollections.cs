using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Config;
using Registry.Server.Storage;

namespace Registry.Server.Config;

/// <summary>Where config lives in the store: current state per key, and every version of its history.</summary>
internal static class ConfigCollections
{
    public static readonly StoreCollection<ConfigRecord> Configs = new("configs", ConfigStoreJson.Default.ConfigRecord);

    public static readonly StoreCollection<ConfigVersionRecord> History =
        new("config_history", ConfigStoreJson.Default.ConfigVersionRecord);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConfigRecord))]
[JsonSerializable(typeof(ConfigVersionRecord))]
[JsonSerializable(typeof(ConfigEvent))]
internal sealed partial class ConfigStoreJson : JsonSerializerContext;
