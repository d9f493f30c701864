using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Contracts.Naming;
using Registry.Server.Tests.Probes;

namespace Registry.Server.Tests.Cluster;

/// <summary>Health checks in a cluster of real processes: the nodes share the probes, and the living take over a dead node's.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class ClusterHealthCheckTests
{
    private const int Instances = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthChecks_ThreeNodes_ShareTheInstancesAndTheLivingTakeOverADeadNodes()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var target = new LoopbackTarget { Status = _ => 500 };
        await using var cluster = await RegistryCluster.StartAsync(3, "--Registry:Probes:AllowedNetworks:0=127.0.0.0/8");
        for (var node = 0; node < 3; node++)
        {
            using var observer = cluster.Client(node);
            await Eventually.TrueAsync(async () => JsonDocument.Parse(await observer.GetStringAsync("/readyz", Ct)).RootElement
                .GetProperty("checks").GetProperty("cluster").GetProperty("data").GetProperty("nodes").GetInt32() == 3, "three live nodes");
        }

        using var client = cluster.Client(0);
        for (var port = 2001; port <= 2000 + Instances; port++)
        {
            using var registered = await client.PutAsJsonAsync(
                "/v1/services/orders/instances", new { ip = "127.0.0.1", port, ephemeral = false }, Ct);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // Every instance is probed on the target's port, whatever its own.
        using var declared = await client.PutAsJsonAsync("/v1/services/orders", new
        {
            healthCheck = new { type = "http", port = target.Port, intervalMs = 1000, timeoutMs = 500, unhealthyThreshold = 2, healthyThreshold = 2 },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);

        await Eventually.TrueAsync(async () => (await HealthyAsync(client)) == 0, "every instance unhealthy");
        var failed = await AuditAsync(client, healthy: false);
        Assert.Equal(Instances, failed.Select(entry => entry.Target).Distinct().Count());
        Assert.Equal(["node0", "node1", "node2"], failed.Select(entry => entry.Address).Distinct().Order());

        await cluster.KillNodeAsync(2);
        target.Status = _ => 200;

        await Eventually.TrueAsync(async () => (await HealthyAsync(client)) == Instances, "every instance healthy again");
        var passed = await AuditAsync(client, healthy: true);
        Assert.Equal(Instances, passed.Select(entry => entry.Target).Distinct().Count());
        Assert.Equal(["node0", "node1"], passed.Select(entry => entry.Address).Distinct().Order());
    }

    private static async Task<int> HealthyAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<InstanceList>("/v1/services/orders/instances?healthyOnly=true", Ct))!.Instances.Count;

    private static async Task<List<AuditEntryInfo>> AuditAsync(HttpClient client, bool healthy) =>
        [.. (await client.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?actor=health-check&pageSize=1000", Ct))!.Items
            .Where(entry => entry.Detail!.StartsWith(healthy ? "passed" : "failed", StringComparison.Ordinal))];
}
