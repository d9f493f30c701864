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
