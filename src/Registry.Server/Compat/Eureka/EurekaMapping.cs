using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// How Eureka's model maps onto the naming center: an app is the service named by the app in lower case, in
/// namespace <c>public</c> and group <c>DEFAULT_GROUP</c>; the Eureka-only fields of an instance live in its
/// metadata under <c>eureka.</c>; an instance is routable (enabled) only while its Eureka status is UP, and one
/// whose lease lapsed (unhealthy) shows as DOWN.
/// </summary>
internal static class EurekaMapping
{
    public const string Namespace = NameRules.DefaultNamespace;
    public const string Group = NameRules.DefaultGroup;
    public const string Prefix = "eureka.";

    public const string InstanceIdKey = "eureka.instanceId";
    public const string HostNameKey = "eureka.hostName";
    public const string StatusKey = "eureka.status";
    public const string OverriddenStatusKey = "eureka.overriddenStatus";
    public const string PortEnabledKey = "eureka.port.enabled";
    public const string SecurePortKey = "eureka.securePort";
    public const string SecurePortEnabledKey = "eureka.securePort.enabled";
    public const string VipAddressKey = "eureka.vipAddress";
    public const string SecureVipAddressKey = "eureka.secureVipAddress";
    public const string DataCenterClassKey = "eureka.dataCenterInfo.class";
    public const string DataCenterNameKey = "eureka.dataCenterInfo.name";
    public const string HomePageUrlKey = "eureka.homePageUrl";
    public const string StatusPageUrlKey = "eureka.statusPageUrl";
    public const string HealthCheckUrlKey = "eureka.healthCheckUrl";
    public const string LastDirtyTimestampKey = "eureka.lastDirtyTimestamp";

    public const string Up = "UP";
    public const string Down = "DOWN";
    public const string Starting = "STARTING";
    public const string OutOfService = "OUT_OF_SERVICE";
    public const string Unknown = "UNKNOWN";

    public static readonly string[] Statuses = [Up, Down, Starting, OutOfService, Unknown];

    private const string DefaultDataCenterClass = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";

    public static string ServiceName(string app) => app.ToLowerInvariant();

    public static string AppName(string service) => service.ToUpperInvariant();

    /// <summary>The Eureka instance id: the one the client registered, else the native id.</summary>
    public static string InstanceId(InstanceInfo instance) =>
        instance.Metadata.GetValueOrDefault(InstanceIdKey) ?? instance.Id;

    /// <summary>
    /// The native cluster of an instance that shares its address with another: its instanceId when that is a
    /// cluster name, else <c>eureka-</c> and 16 hex digits of the id's SHA-256 (stable across restarts and nodes).
    /// </summary>
    public static string ClusterOf(string instanceId) =>
        NameRules.IsValid(instanceId, NameRules.ClusterMaxLength) && instanceId != NameRules.DefaultCluster
            ? instanceId
            : "eureka-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(instanceId)), 0, 8);

    public static bool Matches(InstanceInfo instance, string instanceId) =>
        InstanceId(instance) == instanceId || instance.Id == instanceId;

    /// <summary>What the client declared, with an admin's override taking precedence (UNKNOWN is no override).</summary>
    public static string DeclaredStatus(string? status, string? overridden) =>
        overridden is { } o && o != Unknown ? o : status ?? Up;

    /// <summary>
    /// Native state wins: a lapsed lease is DOWN, an enabled instance is UP; a disabled one shows the status
    /// the client or an override gave it, or OUT_OF_SERVICE when it was disabled natively.
    /// </summary>
    public static string Status(InstanceInfo instance)
    {
        if (!instance.Healthy)
        {
            return Down;
        }

        if (instance.Enabled)
        {
            return Up;
        }

        var declared = DeclaredStatus(instance.Metadata.GetValueOrDefault(StatusKey), instance.Metadata.GetValueOrDefault(OverriddenStatusKey));
        return declared == Up ? OutOfService : declared;
    }

    public static JsonObject ToEureka(InstanceInfo instance, string actionType = "ADDED")
    {
        var meta = instance.Metadata;
        var registered = instance.RegisteredAt.ToUnixTimeMilliseconds();
        var lastDirty = meta.GetValueOrDefault(LastDirtyTimestampKey) ?? Text(registered);
        var service = instance.Service;
        var node = new JsonObject
        {
            ["instanceId"] = InstanceId(instance),
            ["hostName"] = meta.GetValueOrDefault(HostNameKey) ?? instance.Ip,
            ["app"] = AppName(service),
            ["ipAddr"] = instance.Ip,
            ["status"] = Status(instance),
            ["overriddenStatus"] = meta.GetValueOrDefault(OverriddenStatusKey) ?? Unknown,
            ["port"] = new JsonObject { ["$"] = instance.Port, ["@enabled"] = meta.GetValueOrDefault(PortEnabledKey) ?? "true" },
            ["securePort"] = new JsonObject
            {
                ["$"] = int.TryParse(meta.GetValueOrDefault(SecurePortKey), CultureInfo.InvariantCulture, out var secure) ? secure : 443,
                ["@enabled"] = meta.GetValueOrDefault(SecurePortEnabledKey) ?? "false",
            },
            ["countryId"] = 1,
            ["dataCenterInfo"] = new JsonObject
            {
                ["@class"] = meta.GetValueOrDefault(DataCenterClassKey) ?? DefaultDataCenterClass,
                ["name"] = meta.GetValueOrDefault(DataCenterNameKey) ?? "MyOwn",
            },
            ["leaseInfo"] = new JsonObject
            {
                ["renewalIntervalInSecs"] = instance.HeartbeatIntervalMs / 1000,
                ["durationInSecs"] = instance.UnhealthyAfterMs / 1000,
                ["registrationTimestamp"] = registered,
                ["lastRenewalTimestamp"] = instance.LastHeartbeatAt?.ToUnixTimeMilliseconds() ?? 0,
                ["evictionTimestamp"] = 0,
                ["serviceUpTimestamp"] = registered,
            },
            ["metadata"] = UserMetadata(meta),
        };
        AddIfKnown(node, "homePageUrl", meta, HomePageUrlKey);
        AddIfKnown(node, "statusPageUrl", meta, StatusPageUrlKey);
        AddIfKnown(node, "healthCheckUrl", meta, HealthCheckUrlKey);
        node["vipAddress"] = meta.GetValueOrDefault(VipAddressKey) ?? service;
        node["secureVipAddress"] = meta.GetValueOrDefault(SecureVipAddressKey) ?? service;
        node["isCoordinatingDiscoveryServer"] = "false";
        node["lastUpdatedTimestamp"] = Text(registered);
        node["lastDirtyTimestamp"] = lastDirty;
        node["actionType"] = actionType;
        return node;
    }

    /// <summary>The registry document; apps are always arrays, whatever their count.</summary>
    public static JsonObject Applications(IEnumerable<JsonObject> instances, long version)
    {
        var list = instances.ToList();
        var apps = list.GroupBy(i => (string)i["app"]!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (JsonNode)Application(g.Key, g));
        return new JsonObject
        {
            ["applications"] = new JsonObject
            {
                ["versions__delta"] = Text(version),
                ["apps__hashcode"] = HashCode(list),
                ["application"] = new JsonArray([.. apps]),
            },
        };
    }

    public static JsonObject Application(string app, IEnumerable<JsonObject> instances) =>
        new() { ["name"] = app, ["instance"] = new JsonArray([.. instances]) };

    /// <summary>The count of instances per status, sorted by status: <c>DOWN_1_UP_5_</c>.</summary>
    public static string HashCode(IEnumerable<JsonObject> instances) =>
        string.Concat(instances.GroupBy(i => (string)i["status"]!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}_{g.Count().ToString(CultureInfo.InvariantCulture)}_"));

    private static JsonObject UserMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var node = new JsonObject();
        foreach (var (key, value) in metadata.Where(m => !m.Key.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            node[key] = value;
        }

        return node;
    }

    private static void AddIfKnown(JsonObject node, string name, IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (metadata.GetValueOrDefault(key) is { } value)
        {
            node[name] = value;
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
