using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts.Naming;
using Registry.Server.Naming;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Namespaces;

/// <summary>
/// A namespace's counts are kept as changes are applied, not counted on every read: they follow registrations,
/// health, deregistrations, services and config deletions, and come back the same after a restart.
/// </summary>
public sealed class NamespaceCountTests
{
    private static readonly Dictionary<string, string?> OnlyExplicitSweeps = new() { ["Registry:Naming:SweepInterval"] = "00:01:00" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_FollowEveryKindOfChangeAndSurviveARestart()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var app = new RegistryApp(time, dir.File("registry.db"), OnlyExplicitSweeps))
        {
            using var client = app.CreateClient();
            (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
            var silent = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 }, "namespace=dev");
            var beating = await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80 }, "namespace=dev");
            var leaving = await client.RegisterAsync("billing", new { ip = "10.0.0.3", port = 80 }, "namespace=dev");
            await client.RegisterAsync("stock", new { ip = "10.0.0.4", port = 80 }, "namespace=dev");
            await client.PublishAsync("a.yaml", "a: 1\n", query: "namespace=dev");
            await client.PublishAsync("b.yaml", "b: 1\n", query: "namespace=dev");
            await client.RegisterAsync("orders", "10.9.9.9");
            Assert.Equal((3, 4, 4, 2), await CountsAsync(client, "dev"));

            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", beating.Id, "namespace=dev"));
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("stock", "10.0.0.4#80#DEFAULT", "namespace=dev"));
            time.Advance(TimeSpan.FromSeconds(6));
            await app.Service<HeartbeatSweeper>().SweepAsync(Ct);
            Assert.Equal((3, 4, 2, 2), await CountsAsync(client, "dev"));

            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Api.Instance("billing", leaving.Id, "namespace=dev"), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/services/billing?namespace=dev", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/configs/b.yaml?namespace=dev", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", silent.Id, "namespace=dev"));
            Assert.Equal((2, 3, 3, 1), await CountsAsync(client, "dev"));
            Assert.Equal((1, 1, 0, 0), await CountsAsync(client, "public"));
        }

        await using var restarted = new RegistryApp(time, dir.File("registry.db"), OnlyExplicitSweeps);
        using var again = restarted.CreateClient();
        Assert.Equal((2, 3, 3, 1), await CountsAsync(again, "dev"));
    }

    private static async Task<(int Services, int Instances, int Healthy, int Configs)> CountsAsync(HttpClient client, string ns)
    {
        var info = (await client.GetFromJsonAsync<NamespaceInfo>($"/v1/namespaces/{ns}", Ct))!;
        var listed = (await client.GetFromJsonAsync<Registry.Contracts.Paged<NamespaceInfo>>("/v1/namespaces", Ct))!.Items.Single(n => n.Id == ns);
        Assert.Equal(info, listed);
        return (info.ServiceCount, info.InstanceCount, info.HealthyCount, info.ConfigCount);
    }
}
