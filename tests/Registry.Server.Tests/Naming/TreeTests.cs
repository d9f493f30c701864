using System.Net.Http.Json;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class TreeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tree_ShowsNamespacesGroupsServicesAndClustersWithCounts()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        var a = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, cluster = "canary" });
        await client.RegisterAsync("users", new { ip = "10.0.0.3", port = 80 }, "group=accounts");
        await client.RegisterAsync("orders", new { ip = "10.0.0.4", port = 80 }, "namespace=dev");
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await client.BeatAsync("orders", a.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var tree = (await client.GetFromJsonAsync<NamingTree>("/v1/tree", Ct))!;

        Assert.Equal(["dev", "public"], tree.Namespaces.Select(n => n.Id));
        var dev = tree.Namespaces[0];
        Assert.Equal((1, 0), (dev.InstanceCount, dev.HealthyCount));
        var pub = tree.Namespaces[1];
        Assert.Equal((3, 1), (pub.InstanceCount, pub.HealthyCount));
        Assert.Equal(["DEFAULT_GROUP", "accounts"], pub.Groups.Select(g => g.Name));
        var orders = Assert.Single(pub.Groups[0].Services);
        Assert.Equal(("orders", 2, 1), (orders.Name, orders.InstanceCount, orders.HealthyCount));
        Assert.Equal([new ClusterInfo("DEFAULT", 1, 1), new ClusterInfo("canary", 1, 0)], orders.Clusters);
        Assert.True(tree.Revision > 0);
    }

    [Fact]
    public async Task Tree_EmptyRegistry_HasOnlyTheDefaultNamespace()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var tree = (await client.GetFromJsonAsync<NamingTree>("/v1/tree", Ct))!;

        var ns = Assert.Single(tree.Namespaces);
        Assert.Equal(("public", 0), (ns.Id, ns.Groups.Count));
    }
}
