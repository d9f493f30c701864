using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Naming;
using Registry.Server.Tests.Metadata;

namespace Registry.Server.Tests.Naming;

public sealed class RestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_SameDataFile_BringsBackNamespacesServicesAndEveryInstance()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            (await client.PutAsJsonAsync("/v1/namespaces/dev", new { displayName = "Development" }, Ct)).EnsureSuccessStatusCode();
            (await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.3, metadata = new { owner = "a" } }, Ct)).EnsureSuccessStatusCode();
            await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, weight = 3, metadata = new { v = "1" } });
            var persistent = await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, ephemeral = false });
            (await client.PatchAsJsonAsync(Api.Instance("orders", persistent.Id), new { healthy = false }, Ct)).EnsureSuccessStatusCode();
            await client.RegisterAsync("users", new { ip = "10.0.0.3", port = 80, cluster = "blue" }, "namespace=dev&group=accounts");
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();

        var orders = await restarted.ListAsync("orders");
        Assert.Equal(["10.0.0.1", "10.0.0.2"], orders.Instances.Select(i => i.Ip));
        Assert.Equal((3, "1"), (orders.Instances[0].Weight, orders.Instances[0].Metadata["v"]));
        Assert.Equal((false, false), (orders.Instances[1].Ephemeral, orders.Instances[1].Healthy));
        var service = (await restarted.GetFromJsonAsync<ServiceInfo>("/v1/services/orders", Ct))!;
        Assert.Equal((0.3, "a"), (service.ProtectThreshold, service.Metadata["owner"]));
        var users = Assert.Single((await restarted.ListAsync("users", "namespace=dev&group=accounts")).Instances);
        Assert.Equal("blue", users.Cluster);
        var ns = (await restarted.GetFromJsonAsync<NamespaceInfo>("/v1/namespaces/dev", Ct))!;
        Assert.Equal("Development", ns.DisplayName);
    }

    [Fact]
    public async Task Restart_EphemeralInstances_GetAFullLeaseBeforeTheyCanBeEvicted()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            await client.RegisterAsync("orders", "10.0.0.1");
        }

        // The server was down for ten minutes: far longer than the lease.
        time.Advance(TimeSpan.FromMinutes(10));
        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();
        var sweeper = second.Service<HeartbeatSweeper>();

        await sweeper.SweepAsync(Ct);
        Assert.True(Assert.Single((await restarted.ListAsync("orders")).Instances).Healthy);

        time.Advance(TimeSpan.FromSeconds(30));
        await sweeper.SweepAsync(Ct);
        Assert.Single((await restarted.ListAsync("orders")).Instances);

        time.Advance(TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(Ct);
        Assert.Empty((await restarted.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Restart_InstanceThatBeatsAgain_StaysRegistered()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        InstanceInfo instance;
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            instance = await first.CreateClient().RegisterAsync("orders", "10.0.0.1");
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.OK, await restarted.BeatAsync("orders", instance.Id));
            await second.Service<HeartbeatSweeper>().SweepAsync(Ct);
        }

        Assert.True(Assert.Single((await restarted.ListAsync("orders")).Instances).Healthy);
    }

    [Fact]
    public async Task Restart_Revisions_KeepIncreasingAndDeletionsStayDeleted()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        long lastRevision;
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            var gone = await client.RegisterAsync("orders", "10.0.0.1");
            await client.RegisterAsync("orders", "10.0.0.2");
            using var deleted = await client.DeleteAsync(Api.Instance("orders", gone.Id), Ct);
            lastRevision = deleted.Revision();
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();
        var next = await restarted.RegisterAsync("orders", "10.0.0.3");

        Assert.Equal(lastRevision + 1, next.Revision);
        Assert.Equal(["10.0.0.2", "10.0.0.3"], (await restarted.ListAsync("orders")).Instances.Select(i => i.Ip));
        Assert.Equal(lastRevision + 1, (await restarted.GetFromJsonAsync<NamingTree>("/v1/tree", Ct))!.Revision);
        Assert.Single((await restarted.GetFromJsonAsync<Paged<ServiceInfo>>("/v1/services", Ct))!.Items);
    }

    [Fact]
    public async Task Restart_ServiceWithSeveralInstancesAndMetadata_ListsAtItsNewestRevision()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        long instancesRevision, metadataRevision;
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            await client.RegisterAsync("orders", "10.0.0.1");
            instancesRevision = (await client.RegisterAsync("orders", "10.0.0.2")).Revision;
            await client.RegisterAsync("users", "10.0.0.3");
            metadataRevision = (await client.PutMetadataAsync("users", new { tags = new[] { "v1" } })).Revision;
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();

        Assert.Equal(instancesRevision, (await restarted.ListAsync("orders")).Revision);
        Assert.Equal(metadataRevision, (await restarted.ListAsync("users")).Revision);
    }
}
