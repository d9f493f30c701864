using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// A real full disk: the data lives on a small tmpfs that the test fills up. Needs the right to mount
/// (root on Linux); elsewhere the test is skipped.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class DiskFullTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiskFull_WritesFailWith503ReadsGoOnAndEverythingWorksAgainOnceThereIsRoom()
    {
        using var dir = new TempDirectory();
        using var disk = SmallDisk.TryMount(Path.Combine(dir.Path, "disk"), megabytes: 24);
        if (disk is null)
        {
            Assert.Skip("Mounting a tmpfs needs privileges this run does not have.");
        }

        var data = Path.Combine(disk.Path, "registry.db");
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var acknowledged = new List<string>();
        await using (var app = new RegistryApp(time, data))
        {
            using var client = app.CreateClient();
            await client.RegisterAsync("orders", "10.0.0.1");
            await client.PublishAsync("app.yaml", "a: 1\n");
            acknowledged.Add("10.0.0.1");

            // Leave almost no room, then write until the disk refuses.
            disk.Fill(leaveBytes: 16 * 1024);
            HttpStatusCode status = HttpStatusCode.OK;
            for (var i = 2; i < 250 && status != HttpStatusCode.ServiceUnavailable; i++)
            {
                using var response = await client.PutAsJsonAsync(Api.Instances("orders"),
                    new { ip = $"10.0.{i / 250}.{i % 250}", port = 8080, metadata = new Dictionary<string, string> { ["pad"] = new string('p', 900) } }, Ct);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add($"10.0.{i / 250}.{i % 250}");
                }
                else
                {
                    Assert.Equal("store-unavailable", (await response.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
                }
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            using var publish = await client.PutAsync("app.yaml", "a: 2\n");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, publish.StatusCode);
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), (await client.ListAsync("orders")).Instances.Select(i => i.Ip).Order(StringComparer.Ordinal));
            Assert.Equal("a: 1\n", (await client.ReadAsync("app.yaml")).Content);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz", Ct)).StatusCode);

            disk.Free();

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
            await client.PublishAsync("app.yaml", "a: 3\n");
            await client.RegisterAsync("orders", "10.9.9.9");
            acknowledged.Add("10.9.9.9");
        }

        await using var restarted = new RegistryApp(time, data);
        using var again = restarted.CreateClient();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), (await again.ListAsync("orders")).Instances.Select(i => i.Ip).Order(StringComparer.Ordinal));
        Assert.Equal("a: 3\n", (await again.ReadAsync("app.yaml")).Content);
        Assert.Equal(HttpStatusCode.NotFound, (await again.ReadAsync("app.yaml", "version=4")).Status);
    }

    [Fact]
    public async Task DiskFull_RefusedPublish_IsSeenByNoReadNoLongPollAndNoRevalidation()
    {
        using var dir = new TempDirectory();
        using var disk = SmallDisk.TryMount(Path.Combine(dir.Path, "disk"), megabytes: 24);
        if (disk is null)
        {
            Assert.Skip("Mounting a tmpfs needs privileges this run does not have.");
        }

        await using var app = new RegistryApp(storagePath: Path.Combine(disk.Path, "registry.db"));
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        disk.Fill(leaveBytes: 0);
        var acknowledged = (Version: 1, Content: "a: 1\n");
        for (var i = 2; ; i++)
        {
            var content = $"a: {i}\npad: {new string('p', 2000)}\n";
            using var response = await client.PutAsync("app.yaml", content);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acknowledged = (i, content);
        }

        var longPoll = client.GetAsync($"/v1/configs/app.yaml?waitAfterVersion={acknowledged.Version}&timeoutMs=60000", Ct);
        using (var refused = await client.PutAsync("app.yaml", "refused: 1\n"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        using (var read = await client.GetAsync("/v1/configs/app.yaml", Ct))
        {
            Assert.Equal((acknowledged.Content, $"\"{acknowledged.Version}\""), (await read.Content.ReadAsStringAsync(Ct), read.Headers.ETag?.Tag));
        }

        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, "/v1/configs/app.yaml"))
        {
            // The version the refused publish would have taken: no 304 for content the server never stored.
            revalidate.Headers.TryAddWithoutValidation("If-None-Match", $"\"{acknowledged.Version + 1}\"");
            using var response = await client.SendAsync(revalidate, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(acknowledged.Content, await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.False(longPoll.IsCompleted);

        disk.Free();
        await Eventually.TrueAsync(() => Accepted(client, "after: 1\n"), "writes taken again");
        using var woken = await longPoll;
        Assert.Equal("after: 1\n", await woken.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"\"{acknowledged.Version + 1}\"", woken.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task DiskFull_HistoryReadsAndAKill_RecoversByItselfAndStartsOnTheSameDisk()
    {
        using var dir = new TempDirectory();
        using var disk = SmallDisk.TryMount(Path.Combine(dir.Path, "disk"), megabytes: 24);
        if (disk is null)
        {
            Assert.Skip("Mounting a tmpfs needs privileges this run does not have.");
        }

        var store = "--Registry:Storage:Path=" + Path.Combine(disk.Path, "registry.db");
        string last;
        await using (var server = await ServerProcess.StartAsync(dir.Path, store))
        {
            using var client = server.CreateClient();
            await client.PublishAsync("app.yaml", "a: 1\n");
            disk.Fill(leaveBytes: 0);

            // Writes until the disk refuses them, each followed by a read of history, which folds the journal into
            // the data file first: served, or refused while the fold cannot be written; never anything else.
            for (var i = 2; await Accepted(client, $"a: {i}\npad: {new string('p', 2000)}\n"); i++)
            {
                Assert.Contains((await client.GetAsync("/v1/configs/app.yaml/history", Ct)).StatusCode, FullDiskAnswers);
            }

            for (var attempt = 0; attempt < 5; attempt++)
            {
                Assert.Contains((await client.GetAsync("/v1/configs/app.yaml/history", Ct)).StatusCode, FullDiskAnswers);
                Assert.False(await Accepted(client, $"refused: {attempt}\n"));
            }

            disk.Free();
            await Eventually.TrueAsync(() => Accepted(client, "b: 1\n"), "writes taken again");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/configs/app.yaml/history", Ct)).StatusCode);

            disk.Fill(leaveBytes: 0);
            for (var i = 2; await Accepted(client, $"b: {i}\npad: {new string('p', 2000)}\n"); i++)
            {
            }

            last = (await client.ReadAsync("app.yaml")).Content;
            await server.KillAsync();
        }

        // Still full: the server starts, serves what it holds, refuses writes, and takes them once there is room.
        await using var restarted = await ServerProcess.StartAsync(dir.Path, store);
        using var again = restarted.CreateClient();
        Assert.Equal(last, (await again.ReadAsync("app.yaml")).Content);
        var refused = false;
        for (var i = 0; i < 100 && !refused; i++)
        {
            refused = !await Accepted(again, $"c: {i}\npad: {new string('p', 2000)}\n");
        }

        Assert.True(refused);

        disk.Free();
        await Eventually.TrueAsync(() => Accepted(again, "c: done\n"), "writes taken again");
        Assert.Equal("c: done\n", (await again.ReadAsync("app.yaml")).Content);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v1/configs/app.yaml/history", Ct)).StatusCode);
    }

    private static readonly HttpStatusCode[] FullDiskAnswers = [HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable];

    private static async Task<bool> Accepted(HttpClient client, string content)
    {
        using var response = await client.PutAsync("app.yaml", content);
        return response.IsSuccessStatusCode;
    }
}

/// <summary>A tmpfs of a few megabytes, and a filler file to make it full.</summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static SmallDisk? TryMount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        return OperatingSystem.IsLinux() && Shell.Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path) == 0
            ? new SmallDisk(path)
            : null;
    }

    public void Fill(long leaveBytes)
    {
        var free = new DriveInfo(Path).AvailableFreeSpace;
        using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            for (var left = free - leaveBytes; left > 0; left -= block.Length)
            {
                filler.Write(block, 0, (int)Math.Min(block.Length, left));
            }
        }
        catch (IOException)
        {
            // The server wrote meanwhile (it folds its journal into the data file in the background): full already.
        }
    }

    public void Free() => File.Delete(Filler);

    public void Dispose() => Shell.Run("umount", "-l", Path);
}
