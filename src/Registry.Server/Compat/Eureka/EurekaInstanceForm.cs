using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Server.Compat.Eureka;

/// <summary>The fields of a registration body <c>{"instance":{…}}</c> (or <c>&lt;instance&gt;</c>) the mapping uses.</summary>
internal sealed record EurekaInstanceForm(
    string? InstanceId,
    string? HostName,
    string? App,
    string? IpAddr,
    string? Status,
    string? OverriddenStatus,
    int? Port,
    string PortEnabled,
    int? SecurePort,
    string SecurePortEnabled,
    bool HasDataCenterInfo,
    string? DataCenterClass,
    string? DataCenterName,
    long? RenewalIntervalInSecs,
    long? DurationInSecs,
    IReadOnlyDictionary<string, string> Metadata,
    string? HomePageUrl,
    string? StatusPageUrl,
    string? HealthCheckUrl,
    string? VipAddress,
    string? SecureVipAddress,
    string? LastDirtyTimestamp)
{
    /// <summary>Reads the form, or says which field has the wrong shape.</summary>
    /// <summary>The id Eureka gives the instance (<c>InstanceInfo.getId()</c>): its <c>instanceId</c>, else its <c>hostName</c>.</summary>
    public EurekaInstanceForm WithId() =>
        string.IsNullOrEmpty(InstanceId) && !string.IsNullOrEmpty(HostName) ? this with { InstanceId = HostName } : this;

    public static (EurekaInstanceForm? Form, string? Error) Read(JsonObject document)
    {
        if (document["instance"] is not JsonObject i)
        {
            return (null, "The body must be an 'instance' object.");
        }

        try
        {
            var dataCenter = i["dataCenterInfo"] as JsonObject;
            var lease = i["leaseInfo"] as JsonObject;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (i["metadata"] is JsonObject meta)
            {
                foreach (var (key, value) in meta.Where(m => !m.Key.StartsWith('@') && m.Key != "$"))
                {
                    metadata[key] = Text(value, $"metadata.{key}") ?? "";
                }
            }

            var (port, portEnabled) = ReadPort(i["port"], "port", "true");
            var (securePort, secureEnabled) = ReadPort(i["securePort"], "securePort", "false");
            return (new EurekaInstanceForm(
                Text(i["instanceId"], "instanceId"), Text(i["hostName"], "hostName"), Text(i["app"], "app"),
                Text(i["ipAddr"], "ipAddr"), Text(i["status"], "status"), Text(i["overriddenStatus"], "overriddenStatus"),
                port, portEnabled, securePort, secureEnabled,
                i["dataCenterInfo"] is not null, Text(dataCenter?["@class"], "dataCenterInfo.@class"),
                Text(dataCenter?["name"], "dataCenterInfo.name"),
                Number(lease?["renewalIntervalInSecs"], "leaseInfo.renewalIntervalInSecs"),
                Number(lease?["durationInSecs"], "leaseInfo.durationInSecs"),
                metadata,
                Text(i["homePageUrl"], "homePageUrl"), Text(i["statusPageUrl"], "statusPageUrl"),
                Text(i["healthCheckUrl"], "healthCheckUrl"), Text(i["vipAddress"], "vipAddress"),
                Text(i["secureVipAddress"], "secureVipAddress"), Text(i["lastDirtyTimestamp"], "lastDirtyTimestamp")), null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A property given twice, which the JSON tree only notices when it is read.
            return (null, "The instance has a duplicate or unreadable field.");
        }
    }

    /// <summary><c>{"$":8080,"@enabled":"true"}</c>, <c>{"$":"8080"}</c> or a bare 8080.</summary>
    private static (int? Port, string Enabled) ReadPort(JsonNode? node, string field, string enabledByDefault)
    {
        if (node is JsonObject obj)
        {
            var enabled = Text(obj["@enabled"], field + ".@enabled")?.ToLowerInvariant() ?? enabledByDefault;
            if (enabled is not ("true" or "false"))
            {
                throw new FormatException($"'{field}.@enabled' must be \"true\" or \"false\".");
            }

            return (Int(obj["$"], field + ".$"), enabled);
        }

        return (Int(node, field), enabledByDefault);
    }

    private static int? Int(JsonNode? node, string field) =>
        Number(node, field) is not { } n ? null
        : n is >= int.MinValue and <= int.MaxValue ? (int)n
        : throw new FormatException($"'{field}' is out of range.");

    private static long? Number(JsonNode? node, string field)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n))
        {
            return n;
        }

        return Text(node, field) is { } text && long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"'{field}' must be a whole number.");
    }

    private static string? Text(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False =>
            value.ToJsonString(),
        _ => throw new FormatException($"'{field}' must be a string."),
    };
}
