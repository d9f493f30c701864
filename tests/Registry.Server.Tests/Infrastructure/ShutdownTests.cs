using System.Net;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Infrastructure;

[Collection(nameof(ServerProcesses))]
public sealed class ShutdownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_EndsStreamsAndPollsCleanlyFlushesAndExitsZero()
    {
        using var dir = new TempDirectory();
        await using (var server = await ServerProcess.StartAsync(dir.Path))
        {
            using var client = server.CreateClient();
            using var body = new StringContent("a: 1\n", Encoding.UTF8, "application/yaml");
            (await client.PutAsync(new Uri("/v1/configs/app.yaml", UriKind.Relative), body, Ct)).EnsureSuccessStatusCode();
            var (watch, events) = await SseReader.OpenAsync(client, "/v1/configs/watch");
            using var _ = watch;
            await using var __ = events;
            var poll = client.GetAsync(new Uri("/v1/configs/app.yaml?waitAfterVersion=1&timeoutMs=60000", UriKind.Relative), Ct);
            (await client.PutAsJsonAsync(new Uri("/v1/services/orders/instances", UriKind.Relative), new { ip = "10.0.0.1", port = 80 }, Ct))
                .EnsureSuccessStatusCode();

            await server.TerminateAsync();

            Assert.Null(await events.NextAsync());
            using var polled = await poll;
            Assert.Equal(HttpStatusCode.NotModified, polled.StatusCode);
            Assert.Equal(0, await server.WaitForExitAsync());
        }

        // Everything is in the data file itself: the journal is empty and LiteDB's own log is gone.
        Assert.Equal(0, Directory.GetFiles(Path.Combine(dir.Path, "data", "registry.db.changes")).Sum(segment => new FileInfo(segment).Length));
        Assert.False(File.Exists(Path.Combine(dir.Path, "data", "registry-log.db")));

        await using var restarted = await ServerProcess.StartAsync(dir.Path);
        using var again = restarted.CreateClient();
        Assert.Equal("a: 1\n", await again.GetStringAsync(new Uri("/v1/configs/app.yaml", UriKind.Relative), Ct));
        Assert.Single((await again.GetFromJsonAsync<InstanceList>(new Uri("/v1/services/orders/instances", UriKind.Relative), Ct))!.Instances);
    }
}
