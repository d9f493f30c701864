using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

/// <summary>Nacos v1 calls as Nacos clients write them: form bodies, or everything in the query string (Node).</summary>
internal static class NacosApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>A form body, optionally with a charset label (the Node config client says GBK and sends UTF-8).</summary>
    public static ByteArrayContent Form(string? charset, params (string Name, string Value)[] parameters)
    {
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(Query(parameters)));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(
            "application/x-www-form-urlencoded" + (charset is null ? "" : "; charset=" + charset));
        return body;
    }

    public static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient client, HttpMethod method, string path, (string Name, string Value)[]? form = null,
        (string Name, string Value)[]? query = null, params (string Name, string Value)[] headers)
    {
        var url = query is null ? path : path + "?" + Query(query);
        using var request = new HttpRequestMessage(method, url);
        if (form is not null)
        {
            request.Content = Form(null, form);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    /// <summary>Sends, asserts the status, returns the body.</summary>
    public static async Task<string> ExpectAsync(
        this HttpClient client, HttpStatusCode status, HttpMethod method, string path, (string Name, string Value)[]? form = null,
        (string Name, string Value)[]? query = null)
    {
        var (actual, body, response) = await client.SendAsync(method, path, form, query);
        response.Dispose();
        Assert.True(status == actual, $"{method} {path}: expected {(int)status}, got {(int)actual}: {body}");
        return body;
    }

    public static Task<string> RegisterAsync(this HttpClient client, string serviceName, string ip, int port = 8080, params (string, string)[] more) =>
        client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", serviceName), ("ip", ip), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. more]);

    public static async Task<JsonElement> ListAsync(this HttpClient client, params (string Name, string Value)[] query) =>
        JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/instance/list", query: query)).RootElement;

    public static string[] Ips(this JsonElement serviceInfo) =>
        [.. serviceInfo.GetProperty("hosts").EnumerateArray().Select(h => $"{h.GetProperty("ip").GetString()}:{h.GetProperty("port").GetInt32()}")];

    /// <summary>A header as sent, from the response or its content.</summary>
    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} header");

    public static Task<string> PublishConfigAsync(this HttpClient client, string dataId, string group, string content, params (string, string)[] more) =>
        client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/cs/configs",
            form: [("dataId", dataId), ("group", group), ("content", content), .. more]);

    public static async Task<(HttpStatusCode Status, string Body)> GetConfigAsync(this HttpClient client, string dataId, string group, string? tenant = null)
    {
        (string, string)[] query = tenant is null ? [("dataId", dataId), ("group", group)] : [("dataId", dataId), ("group", group), ("tenant", tenant)];
        var (status, body, response) = await client.SendAsync(HttpMethod.Get, "/nacos/v1/cs/configs", query: query);
        response.Dispose();
        return (status, body);
    }
}
