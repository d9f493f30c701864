using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests;

/// <summary>Calls of the v1 API as a client writes them, and reads of what it answers.</summary>
internal static class Api
{
    public static string Instances(string service, string? query = null) =>
        $"/v1/services/{service}/instances{(query is null ? "" : "?" + query)}";

    public static string Instance(string service, string id, string? query = null) =>
        $"/v1/services/{service}/instances/{Uri.EscapeDataString(id)}{(query is null ? "" : "?" + query)}";

    public static string Heartbeat(string service, string id, string? query = null) =>
        $"/v1/services/{service}/instances/{Uri.EscapeDataString(id)}/heartbeat{(query is null ? "" : "?" + query)}";

    public static async Task<InstanceInfo> RegisterAsync(
        this HttpClient client, string service, object body, string? query = null)
    {
        using var response = await client.PutAsJsonAsync(Instances(service, query), body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<InstanceInfo>())!;
    }

    public static Task<InstanceInfo> RegisterAsync(this HttpClient client, string service, string ip, int port = 8080) =>
        client.RegisterAsync(service, new { ip, port });

    public static async Task<InstanceList> ListAsync(this HttpClient client, string service, string? query = null) =>
        (await client.GetFromJsonAsync<InstanceList>(Instances(service, query), TestContext.Current.CancellationToken))!;

    public static async Task<HttpStatusCode> BeatAsync(this HttpClient client, string service, string id, string? query = null)
    {
        using var response = await client.PutAsync(Heartbeat(service, id, query), null, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Asserts an <c>application/problem+json</c> response with the status, and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The messages a validation problem lists for one field.</summary>
    public static string[] Errors(this JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? [.. messages.EnumerateArray().Select(m => m.GetString()!)]
            : [];

    public static string? Code(this JsonElement problem) =>
        problem.TryGetProperty("code", out var code) ? code.GetString() : null;

    public static long Revision(this HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Registry-Revision").Single(), System.Globalization.CultureInfo.InvariantCulture);
}
