using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

/// <summary>Config calls as a client makes them.</summary>
internal static class ConfigApi
{
    public static string Path(string dataId, string? query = null) =>
        $"/v1/configs/{dataId}{(query is null ? "" : "?" + query)}";

    public static StringContent Body(string content, string mediaType = "application/yaml")
    {
        var body = new StringContent(content, Encoding.UTF8);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return body;
    }

    public static async Task<HttpResponseMessage> PutAsync(
        this HttpClient client, string dataId, string content, string mediaType = "application/yaml",
        string? query = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Path(dataId, query)) { Content = Body(content, mediaType) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<ConfigInfo> PublishAsync(
        this HttpClient client, string dataId, string content, string mediaType = "application/yaml", string? query = null)
    {
        using var response = await client.PutAsync(dataId, content, mediaType, query);
        Assert.True(response.IsSuccessStatusCode, $"publish: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ConfigInfo>())!;
    }

    public static async Task<(HttpStatusCode Status, string Content)> ReadAsync(this HttpClient client, string dataId, string? query = null)
    {
        using var response = await client.GetAsync(Path(dataId, query), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
