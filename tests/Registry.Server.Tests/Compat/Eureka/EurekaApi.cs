using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Registry.Server.Tests.Compat.Eureka;

/// <summary>Eureka calls as its clients write them, with bodies in the shapes of the reference.</summary>
internal static class EurekaApi
{
    public const string V2 = "/eureka/v2";
    public const string Spring = "/eureka";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A registration body as Spring Cloud and eureka-js-client send it.</summary>
    public static JsonObject Instance(
        string app = "myapp", string instanceId = "host1:myapp:8080", string ip = "10.0.0.5", int port = 8080,
        string status = "UP", int? renewal = null, int? duration = null) =>
        new()
        {
            ["instance"] = new JsonObject
            {
                ["instanceId"] = instanceId,
                ["hostName"] = "host1",
                ["app"] = app.ToUpperInvariant(),
                ["ipAddr"] = ip,
                ["status"] = status,
                ["overriddenStatus"] = "UNKNOWN",
                ["port"] = new JsonObject { ["$"] = port, ["@enabled"] = "true" },
                ["securePort"] = new JsonObject { ["$"] = 8443, ["@enabled"] = "false" },
                ["countryId"] = 1,
                ["dataCenterInfo"] = new JsonObject
                {
                    ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo",
                    ["name"] = "MyOwn",
                },
                ["leaseInfo"] = new JsonObject
                {
                    ["renewalIntervalInSecs"] = renewal ?? 30,
                    ["durationInSecs"] = duration ?? 90,
                },
                ["metadata"] = new JsonObject { ["weight"] = "100", ["protocol"] = "http" },
                ["homePageUrl"] = $"http://host1:{port}/",
                ["statusPageUrl"] = $"http://host1:{port}/info",
                ["healthCheckUrl"] = $"http://host1:{port}/health",
                ["vipAddress"] = app,
                ["secureVipAddress"] = app,
                ["isCoordinatingDiscoveryServer"] = "false",
                ["lastUpdatedTimestamp"] = "1700000000000",
                ["lastDirtyTimestamp"] = "1700000000000",
            },
        };

    public static string Xml(string app = "MYAPP", string instanceId = "host1:myapp:8080", string ip = "10.0.0.5", int port = 8080) =>
        new XElement("instance",
            new XElement("instanceId", instanceId),
            new XElement("hostName", "host1"),
            new XElement("app", app),
            new XElement("ipAddr", ip),
            new XElement("status", "UP"),
            new XElement("overriddenstatus", "UNKNOWN"),
            new XElement("port", new XAttribute("enabled", "true"), port),
            new XElement("securePort", new XAttribute("enabled", "false"), 443),
            new XElement("countryId", 1),
            new XElement("dataCenterInfo", new XAttribute("class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"),
                new XElement("name", "MyOwn")),
            new XElement("leaseInfo", new XElement("renewalIntervalInSecs", 30), new XElement("durationInSecs", 90)),
            new XElement("metadata", new XElement("zone", "a")),
            new XElement("vipAddress", app.ToLowerInvariant()),
            new XElement("secureVipAddress", app.ToLowerInvariant())).ToString();

    public static async Task<HttpResponseMessage> RegisterAsync(this HttpClient client, JsonObject body, string prefix = V2, string? app = null)
    {
        app ??= (string)body["instance"]!["app"]!;
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await client.PostAsync($"{prefix}/apps/{app}", content, Ct);
    }

    public static async Task RegisteredAsync(this HttpClient client, JsonObject body, string prefix = V2)
    {
        using var response = await client.RegisterAsync(body, prefix);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public static async Task<HttpStatusCode> SendAsync(this HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path), Ct);
        return response.StatusCode;
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path) =>
        JsonNode.Parse(await client.GetAsAsync(path, "application/json"))!.AsObject();

    public static async Task<XDocument> GetXmlAsync(this HttpClient client, string path) =>
        XDocument.Parse(await client.GetAsAsync(path, "application/xml"));

    /// <summary>A GET that accepts <paramref name="mediaType"/>; asserts 200 in that type and returns the body.</summary>
    private static async Task<string> GetAsAsync(this HttpClient client, string path, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>The instances of <c>applications.application[]</c>, across apps.</summary>
    public static IReadOnlyList<JsonObject> Instances(JsonObject applications) =>
        [.. applications["applications"]!["application"]!.AsArray().SelectMany(a => a!["instance"]!.AsArray()).Select(i => i!.AsObject())];

    public static string Text(this JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>()
        : node?.ToJsonString() ?? "";
}
