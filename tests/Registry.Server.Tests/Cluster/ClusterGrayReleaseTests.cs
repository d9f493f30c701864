using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Registry.Server.Tests.Cluster;

/// <summary>A gray release in a cluster of real processes: decided on one node, served by the rule on every node.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class ClusterGrayReleaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GrayRelease_PublishedOnOneNode_IsServedByItsRuleOnEveryNodeAndEndsEverywhere()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var admin = cluster.Client(0);
        using var published = await admin.PutAsync("/v1/configs/app.yaml", new StringContent("mode: old\n", Encoding.UTF8, "application/yaml"), Ct);
        published.EnsureSuccessStatusCode();
        using var gray = await admin.PutAsJsonAsync(
            "/v1/configs/app.yaml/gray", new { content = "mode: new\n", rule = new { labels = new { canary = "true" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, gray.StatusCode);
        var written = gray.Headers.GetValues("X-Registry-Revision").Single();

        for (var node = 1; node < 3; node++)
        {
            Assert.Equal("mode: new\n", await ReadAsync(cluster.Client(node), "canary=true", written));
            Assert.Equal("mode: old\n", await ReadAsync(cluster.Client(node), "zone=eu", written));
        }

        using var promoted = await cluster.Client(1).PostAsync("/v1/configs/app.yaml/gray/promote", null, Ct);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var promotedAt = promoted.Headers.GetValues("X-Registry-Revision").Single();
        Assert.Equal("mode: new\n", await ReadAsync(cluster.Client(2), "zone=eu", promotedAt));
    }

    /// <summary>Reads as a client with <paramref name="labels"/>, once the node applied <paramref name="revision"/>.</summary>
    private static async Task<string> ReadAsync(HttpClient client, string labels, string revision)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/configs/app.yaml");
        request.Headers.Add("X-Registry-Labels", labels);
        request.Headers.Add("X-Registry-Min-Revision", revision);
        using var response = await client.SendAsync(request, Ct);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
