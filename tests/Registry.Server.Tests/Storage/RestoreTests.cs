using System.Net;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Storage;

/// <summary>The <c>restore</c> command against the real server process, after the worst case: a SIGKILL.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class RestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restore_AfterACrash_BringsBackTheBackupAndNothingWrittenAfterIt()
    {
        using var dir = new TempDirectory();
        var backup = dir.File("backup.db");
        long revision;
        await using (var server = await ServerProcess.StartAsync(dir.Path))
        {
            using var client = server.CreateClient();
            await client.RegisterAsync("orders", "10.0.0.1");
            await client.PublishAsync("app.yaml", "a: 1\n");
            using (var response = await client.PostAsync(new Uri("/v1/admin/backup", UriKind.Relative), null, Ct))
            {
                revision = response.Revision();
                await File.WriteAllBytesAsync(backup, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
            }

            // Enough writes after the backup that some reach LiteDB's own log, then a crash.
            for (var i = 2; i < 1200; i++)
            {
                await client.RegisterAsync("later", $"10.1.{i / 250}.{i % 250}");
            }

            await client.PublishAsync("app.yaml", "a: 2\n");
            await server.KillAsync();
        }

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "restore", backup);

        Assert.Equal(0, exitCode);
        Assert.Contains($"(revision {revision})", output, StringComparison.Ordinal);
        await using var restored = await ServerProcess.StartAsync(dir.Path);
        using var again = restored.CreateClient();
        Assert.Equal(["10.0.0.1"], (await again.ListAsync("orders")).Instances.Select(i => i.Ip));
        Assert.Empty((await again.ListAsync("later")).Instances);
        Assert.Equal("a: 1\n", (await again.ReadAsync("app.yaml")).Content);
        Assert.Equal(revision + 1, (await again.RegisterAsync("next", "10.9.9.9")).Revision);
    }

    [Fact]
    public async Task Restore_WhileAServerUsesTheDataFile_RefusesAndChangesNothing()
    {
        using var dir = new TempDirectory();
        var backup = dir.File("backup.db");
        await using var server = await ServerProcess.StartAsync(dir.Path);
        using var client = server.CreateClient();
        using (var response = await client.PostAsync(new Uri("/v1/admin/backup", UriKind.Relative), null, Ct))
        {
            await File.WriteAllBytesAsync(backup, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        }

        await client.RegisterAsync("orders", "10.0.0.1");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "restore", backup);

        Assert.Equal(1, exitCode);
        Assert.Contains("Stop the server that uses it", output, StringComparison.Ordinal);
        Assert.Single((await client.ListAsync("orders")).Instances);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("empty")]
    [InlineData("random")]
    public async Task Restore_FileThatIsNoBackup_RefusesAndLeavesTheFileAsItWas(string kind)
    {
        using var dir = new TempDirectory();
        var notABackup = dir.File("notes.db");
        byte[] bytes = kind switch
        {
            "text" => "hello"u8.ToArray(),
            "empty" => [],
            _ => [.. Enumerable.Range(0, 8192).Select(i => (byte)new Random(i).Next(256))],
        };
        await File.WriteAllBytesAsync(notABackup, bytes, Ct);

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "restore", notABackup);

        Assert.Equal(1, exitCode);
        Assert.Contains("Registry cannot restore: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(notABackup, Ct));
        Assert.False(File.Exists(Path.Combine(dir.Path, "data", "registry.db")));
    }
}
