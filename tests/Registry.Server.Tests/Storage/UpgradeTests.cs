using System.IO.Compression;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Contracts.Metadata;
using Registry.Contracts.Naming;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// A data file written by the previous release (instances one document each, keys compared ignoring case, metadata in
/// the naming tree's collections), stopped cleanly: the server starts from it with nothing lost and moves it on.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataFile => _dir.File("registry.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Start_DataFileOfThePreviousRelease_ServesEverythingItHeldAtItsRevisions()
    {
        await ExtractAsync();

        await using var app = new RegistryApp(storagePath: DataFile);
        using var client = app.CreateClient();

        await VerifyAsync(client);
    }

    [Fact]
    public async Task Restart_AfterStartingFromThePreviousRelease_KeepsEverythingAndGoesOnNumbering()
    {
        await ExtractAsync();
        await using (var app = new RegistryApp(storagePath: DataFile))
        {
            using var client = app.CreateClient();
            var added = await client.RegisterAsync("orders", "10.0.0.9");
            Assert.Equal(14, added.Revision);
        }

        await using var restarted = new RegistryApp(storagePath: DataFile);
        using var again = restarted.CreateClient();

        await VerifyAsync(again, extra: "10.0.0.9");
    }

    private static async Task VerifyAsync(HttpClient client, string? extra = null)
    {
        var orders = await client.ListAsync("orders");
        Assert.Equal(
            new[] { ("10.0.0.1", 5.0, true, "a"), ("10.0.0.2", 3.0, false, "") }
                .Concat(extra is null ? [] : [(extra, 5.0, true, "")]),
            orders.Instances.Select(i => (i.Ip, i.EffectiveWeight, i.Ephemeral, i.Metadata.GetValueOrDefault("zone", ""))));
        Assert.Equal(12, orders.Instances.Single(i => i.Ip == "10.0.0.2").Revision);

        var billing = Assert.Single((await client.ListAsync("billing", "namespace=dev")).Instances);
        Assert.Equal(("east", false, 2000L, 6000L, 12000L, 13L),
            (billing.Cluster, billing.Healthy, billing.HeartbeatIntervalMs, billing.UnhealthyAfterMs, billing.EvictAfterMs, billing.Revision));

        var metadata = (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("orders"), Ct))!;
        Assert.Equal((2L, 5.0, "v2"), (metadata.Version, metadata.DefaultWeight, Assert.Single(metadata.Tags)));
        var metadataHistory = (await client.GetFromJsonAsync<Paged<MetadataVersionInfo>>("/v1/services/orders/metadata/history", Ct))!;
        Assert.Equal([2L, 1L], metadataHistory.Items.Select(v => v.Version));

        Assert.Equal("a: 2\n", (await client.ReadAsync("app.yaml")).Content);
        Assert.Equal("a: 1\n", (await client.ReadAsync("app.yaml", "version=1")).Content);
        var configHistory = (await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history"), Ct))!;
        Assert.Equal([2L, 1L], configHistory.Items.Select(v => v.Version));

        Assert.Equal("Development", (await client.GetFromJsonAsync<NamespaceInfo>("/v1/namespaces/dev", Ct))!.DisplayName);
    }

    private async Task ExtractAsync()
    {
        await using var fixture = typeof(UpgradeTests).Assembly.GetManifestResourceStream("Registry.Server.Tests.Storage.Fixtures.earlier-version.db.gz")!;
        await using var gzip = new GZipStream(fixture, CompressionMode.Decompress);
        await using var file = File.Create(DataFile);
        await gzip.CopyToAsync(file, Ct);
    }
}
