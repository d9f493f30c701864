using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

public sealed class ConfigRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_SameDataFile_KeepsContentHistoryAndNumbering()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        ConfigInfo last;
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            await client.PublishAsync("app.yaml", "a: 1\n", query: "group=shop");
            await client.PublishAsync("app.yaml", "a: 2\n", query: "group=shop");
            await client.PublishAsync("gone.txt", "bye", "text/plain");
            (await client.DeleteAsync(ConfigApi.Path("gone.txt"), Ct)).EnsureSuccessStatusCode();
            last = await client.PublishAsync("app.yaml", "a: 3\n", query: "group=shop");
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "a: 3\n"), await restarted.ReadAsync("app.yaml", "group=shop"));
        Assert.Equal("a: 1\n", (await restarted.ReadAsync("app.yaml", "group=shop&version=1")).Content);
        Assert.Equal(HttpStatusCode.NotFound, (await restarted.ReadAsync("gone.txt")).Status);
        var history = await restarted.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history", "group=shop"), Ct);
        Assert.Equal([3L, 2L, 1L], history!.Items.Select(v => v.Version));
        var next = await restarted.PublishAsync("app.yaml", "a: 4\n", query: "group=shop");
        Assert.Equal((4L, last.Revision + 1), (next.Version, next.Revision));
        var again = await restarted.PublishAsync("gone.txt", "back", "text/plain");
        Assert.Equal(3, again.Version);
    }

    [Fact]
    public async Task Restart_WatchResumingFromBeforeIt_GetsAReset()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        ConfigInfo seen;
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            seen = await client.PublishAsync("app.yaml", "a: 1\n");
            await client.PublishAsync("app.yaml", "a: 2\n");
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(restarted, "/v1/configs/watch",
            lastEventId: seen.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var _ = response;
        await using var __ = stream;

        Assert.Equal("reset", (await stream.NextAsync())!.Event);
    }

    [Fact]
    public async Task Restart_KeysThatDifferOnlyInCase_StayTwoItems()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            await client.PublishAsync("App.yaml", "upper: 1\n");
            await client.PublishAsync("app.yaml", "lower: 1\n");
            await client.PublishAsync("App.yaml", "upper: 2\n");
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();

        Assert.Equal("upper: 2\n", (await restarted.ReadAsync("App.yaml")).Content);
        Assert.Equal("lower: 1\n", (await restarted.ReadAsync("app.yaml")).Content);
        Assert.Equal("upper: 1\n", (await restarted.ReadAsync("App.yaml", "version=1")).Content);
    }
}
