using System.Net.Http.Json;
using Registry.Contracts.Metadata;

namespace Registry.Server.Tests.Metadata;

internal static class MetadataApi
{
    public static string Path(string service, string? query = null) =>
        $"/v1/services/{service}/metadata{(query is null ? "" : "?" + query)}";

    public static async Task<ServiceMetadataInfo> PutMetadataAsync(this HttpClient client, string service, object document, string? query = null)
    {
        using var response = await client.PutAsJsonAsync(Path(service, query), document, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"metadata: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>())!;
    }
}
