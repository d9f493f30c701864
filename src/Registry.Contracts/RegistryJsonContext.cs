using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Naming;

namespace Registry.Contracts;

/// <summary>Source-generated JSON metadata of every wire type (web defaults: camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(RegisterInstanceRequest))]
[JsonSerializable(typeof(PatchInstanceRequest))]
[JsonSerializable(typeof(InstanceInfo))]
[JsonSerializable(typeof(InstanceList))]
[JsonSerializable(typeof(IReadOnlyList<InstanceLease>))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(ServiceRequest))]
[JsonSerializable(typeof(ServiceInfo))]
[JsonSerializable(typeof(Paged<ServiceInfo>))]
[JsonSerializable(typeof(NamespaceRequest))]
[JsonSerializable(typeof(NamespaceInfo))]
[JsonSerializable(typeof(Paged<NamespaceInfo>))]
[JsonSerializable(typeof(NamingTree))]
[JsonSerializable(typeof(Config.ConfigInfo))]
[JsonSerializable(typeof(Config.ConfigValidation))]
[JsonSerializable(typeof(Config.ConfigVersionInfo))]
[JsonSerializable(typeof(Paged<Config.ConfigInfo>))]
[JsonSerializable(typeof(Paged<Config.ConfigVersionInfo>))]
[JsonSerializable(typeof(Config.ConfigEvent))]
[JsonSerializable(typeof(Config.GrayRule))]
[JsonSerializable(typeof(Config.GrayReleaseRequest))]
[JsonSerializable(typeof(Config.ConfigGrayInfo))]
[JsonSerializable(typeof(IReadOnlyList<Config.ConfigClientInfo>))]
[JsonSerializable(typeof(Metadata.ServiceMetadata))]
[JsonSerializable(typeof(Metadata.ServiceMetadataInfo))]
[JsonSerializable(typeof(Paged<Metadata.MetadataVersionInfo>))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
