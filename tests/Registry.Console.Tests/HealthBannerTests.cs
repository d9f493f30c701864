using Microsoft.Playwright;
using Registry.Server.Tests.Cluster;

namespace Registry.Console.Tests;

/// <summary>The health banner, from the server's own /readyz, on every page.</summary>
public sealed class HealthBannerTests
{
    [Fact]
    public async Task Banner_StoreLosesItsDirectory_SaysTheStoreIsUnavailable()
    {
        await using var console = new ConsoleFixture();
        await console.InitializeAsync();
        var page = await console.OpenAsync();
        await Assertions.Expect(page.Locator("#banner .error")).ToHaveCountAsync(0);

        // The store's probe writes beside the data file: without its directory no write can be made durable.
        Directory.Delete(console.DataDirectory, recursive: true);

        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("Store unavailable: The store cannot make writes durable");
        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Banner_LeasesExpireTogether_SaysSelfPreservationHoldsEvictionsBack()
    {
        await using var console = new ConsoleFixture("--Registry:Naming:SelfPreservation:MinInstances=2");
        await console.InitializeAsync();
        using var http = console.Client();
        foreach (var ip in new[] { "10.6.0.1", "10.6.0.2", "10.6.0.3" })
        {
            // Never renewed: all three leases end in the same sweep.
            await ConsoleFixture.RegisterAsync(http, "fading", new { ip, port = 80, heartbeatIntervalMs = 1000, unhealthyAfterMs = 1500, evictAfterMs = 2000 });
        }

        var page = await console.OpenAsync();

        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("Self-preservation: evictions are held back");
    }

    [Fact]
    public async Task Banner_ClusterNode_ShowsTheClusterAsTheNodeSeesIt()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var etcd = await EtcdCluster.StartAsync(1);
        await using var console = new ConsoleFixture(
            "--Registry:Storage:Provider=etcd", $"--Registry:Storage:Etcd:Endpoints={etcd.Endpoints}", "--Registry:Cluster:NodeId=console-node");
        await console.InitializeAsync();

        var page = await console.OpenAsync();

        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("Cluster: 1 node(s) live; this one is console-node.");
    }
}
