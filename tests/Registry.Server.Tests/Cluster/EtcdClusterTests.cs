using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Registry.Server.Tests.Cluster;

/// <summary>The etcd members the cluster tests stand on: one cluster of three, a write seen on every member, a quorum kept after a crash.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class EtcdClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ThreeMembers_WritesAreSeenOnEveryMemberAndGoOnWithOneKilled()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await EtcdCluster.StartAsync(3);
        using var client = new HttpClient();

        await Eventually.TrueAsync(() => TryPutAsync(client, cluster.ClientUrls[0], "registry/a", "1"), "a first write");
        Assert.Equal("1", await GetAsync(client, cluster.ClientUrls[2], "registry/a"));

        // If it was the leader, the others elect a new one first: until then a write is refused (503), never lost.
        cluster.Kill(1);
        await Eventually.TrueAsync(() => TryPutAsync(client, cluster.ClientUrls[2], "registry/b", "2"), "a write after the kill");

        // A member that has not heard of the new leader yet refuses a read (503) rather than answer a stale one.
        await Eventually.MatchesAsync(() => GetAsync(client, cluster.ClientUrls[0], "registry/b"), static value => value == "2", "the write read on another member");
    }

    /// <summary>A write; false while the members hold an election (503).</summary>
    private static async Task<bool> TryPutAsync(HttpClient client, Uri member, string key, string value)
    {
        using var response = await client.PostAsJsonAsync(new Uri(member, "/v3/kv/put"), new { key = Base64(key), value = Base64(value) }, Ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The value; null when the key is absent or the member refuses the read (during an election).</summary>
    private static async Task<string?> GetAsync(HttpClient client, Uri member, string key)
    {
        using var response = await client.PostAsJsonAsync(new Uri(member, "/v3/kv/range"), new { key = Base64(key) }, Ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.TryGetProperty("kvs", out var kvs)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(kvs[0].GetProperty("value").GetString()!))
            : null;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
