using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Server.Compat.Nacos;

/// <summary>An instance as Nacos 1.x/2.x clients parse it.</summary>
internal sealed record NacosInstance(
    string InstanceId, string Ip, int Port, double Weight, bool Healthy, bool Enabled, bool Ephemeral, string ClusterName,
    string ServiceName, IReadOnlyDictionary<string, string> Metadata, long InstanceHeartBeatInterval,
    string InstanceIdGenerator, long InstanceHeartBeatTimeOut, long IpDeleteTimeout);

/// <summary>The <c>/instance/list</c> answer (ServiceInfo).</summary>
internal sealed record NacosServiceInfo(
    string Name, string GroupName, string Clusters, long CacheMillis, IReadOnlyList<NacosInstance> Hosts, long LastRefTime,
    string Checksum, [property: JsonPropertyName("allIPs")] bool AllIps, bool ReachProtectionThreshold, bool Valid);

internal sealed record NacosInstanceDetail(
    string Service, string Ip, int Port, string ClusterName, double Weight, bool Healthy, bool Enabled, bool Ephemeral,
    string InstanceId, IReadOnlyDictionary<string, string> Metadata);

internal sealed record NacosBeatReply(long ClientBeatInterval, int Code, bool LightBeatEnabled);

internal sealed record NacosBeatInfo(
    string? Ip, int? Port, string? ServiceName, string? Cluster, double? Weight, bool? Ephemeral,
    IReadOnlyDictionary<string, JsonElement>? Metadata);

internal sealed record NacosSelector(string Type);

internal sealed record NacosCluster(string Name, IReadOnlyDictionary<string, string> Metadata);

internal sealed record NacosServiceDetail(
    string NamespaceId, string GroupName, string Name, double ProtectThreshold, IReadOnlyDictionary<string, string> Metadata,
    NacosSelector Selector, IReadOnlyList<NacosCluster> Clusters);

internal sealed record NacosServiceNames(int Count, IReadOnlyList<string> Doms);

internal sealed record NacosCatalogService(
    string Name, string GroupName, int ClusterCount, int IpCount, int HealthyInstanceCount, string TriggerFlag);

internal sealed record NacosCatalogServices(int Count, IReadOnlyList<NacosCatalogService> ServiceList);

internal sealed record NacosCatalogInstances(IReadOnlyList<NacosInstance> List, int Count);

internal sealed record NacosMetrics(
    string Status, int? ServiceCount = null, int? InstanceCount = null, int? SubscribeCount = null, int? ClientCount = null);

internal sealed record NacosNamespace(
    string Namespace, string NamespaceShowName, string NamespaceDesc, int Quota, int ConfigCount, int Type);

internal sealed record NacosNamespaceList(int Code, string? Message, IReadOnlyList<NacosNamespace> Data);

internal sealed record NacosLogin(string AccessToken, long TokenTtl, bool GlobalAdmin, string Username);

internal sealed record NacosHistoryItem(
    string Id, string LastId, string DataId, string Group, string Tenant, string AppName, string Md5, string? Content,
    string SrcIp, string SrcUser, string OpType, string CreatedTime, string LastModifiedTime);

internal sealed record NacosPage(int TotalCount, int PageNumber, int PagesAvailable, IReadOnlyList<NacosHistoryItem> PageItems);

/// <summary>A config as <c>?show=all</c> and <c>/cs/history/configs</c> show it (content left out in the list).</summary>
internal sealed record NacosConfigAll(
    string Id, string DataId, string Group, string? Content, string Md5, string Tenant, string AppName, string Type,
    long? CreateTime, long? ModifyTime, string? CreateUser, string? CreateIp);

/// <summary>A beta (gray) config as <c>GET ?beta=true</c> shows it.</summary>
internal sealed record NacosBeta(
    string Id, string DataId, string Group, string Tenant, string Content, string Md5, string BetaIps, string Type, long LastModified);

/// <summary>Nacos's <c>RestResult</c> around a beta config (none: no <c>data</c>).</summary>
internal sealed record NacosBetaResult(int Code, string Message, NacosBeta? Data);

/// <summary>Nacos's <c>RestResult</c> of stopping a beta.</summary>
internal sealed record NacosStopBetaResult(int Code, string Message, bool Data);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NacosServiceInfo))]
[JsonSerializable(typeof(NacosInstanceDetail))]
[JsonSerializable(typeof(NacosBeatReply))]
[JsonSerializable(typeof(NacosBeatInfo))]
[JsonSerializable(typeof(NacosServiceDetail))]
[JsonSerializable(typeof(NacosServiceNames))]
[JsonSerializable(typeof(NacosCatalogServices))]
[JsonSerializable(typeof(NacosCatalogInstances))]
[JsonSerializable(typeof(NacosMetrics))]
[JsonSerializable(typeof(NacosNamespaceList))]
[JsonSerializable(typeof(NacosNamespace))]
[JsonSerializable(typeof(NacosLogin))]
[JsonSerializable(typeof(NacosPage))]
[JsonSerializable(typeof(NacosHistoryItem))]
[JsonSerializable(typeof(NacosConfigAll))]
[JsonSerializable(typeof(NacosBetaResult))]
[JsonSerializable(typeof(NacosStopBetaResult))]
[JsonSerializable(typeof(List<NacosConfigAll>))]
internal sealed partial class NacosJson : JsonSerializerContext;

internal static class NacosResults
{
    public const string TextType = "text/plain;charset=UTF-8";
    public const string JsonType = "application/json;charset=UTF-8";

    public static IResult Ok { get; } = Text("ok");

    public static IResult True { get; } = Raw("true", JsonType);

    public static IResult Text(string text, int status = StatusCodes.Status200OK) => Raw(text, TextType, status);

    /// <summary>UTF-8 text with the media type written exactly as given (Nacos spells the charset <c>UTF-8</c>).</summary>
    public static IResult Raw(string text, string contentType, int status = StatusCodes.Status200OK) =>
        new RawResult(Encoding.UTF8.GetBytes(text), contentType, status);

    public static IResult Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        new RawResult(JsonSerializer.SerializeToUtf8Bytes(value, type), JsonType, StatusCodes.Status200OK);

    private sealed class RawResult(byte[] body, string contentType, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
