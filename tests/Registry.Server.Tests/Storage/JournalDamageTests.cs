namespace Registry.Server.Tests.Storage;

/// <summary>
/// A journal damaged before its tail, against the real server process: the start is refused with one line that says
/// where, the file is kept, and <c>salvage-journal</c> starts the server from the intact part on request.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class JournalDamageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_FlippedByteInTheMiddleOfTheJournal_IsRefusedUntilSalvagedThenServesTheIntactPart()
    {
        using var dir = new TempDirectory();
        await using (var server = await ServerProcess.StartAsync(dir.Path))
        {
            using var client = server.CreateClient();
            for (var i = 1; i <= 50; i++)
            {
                await client.RegisterAsync("orders", $"10.0.0.{i}");
            }

            await server.KillAsync();
        }

        var segment = Directory.GetFiles(Path.Combine(dir.Path, "data", "registry.db.changes")).Single();
        var bytes = await File.ReadAllBytesAsync(segment, Ct);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(segment, bytes, Ct);

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{segment} is damaged at byte ", output, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment, Ct));

        var (salvageExit, salvaged) = await ServerProcess.RunToExitAsync(dir.Path, "salvage-journal");

        Assert.Equal(0, salvageExit);
        Assert.Contains("intact entries", salvaged, StringComparison.Ordinal);
        await using var restarted = await ServerProcess.StartAsync(dir.Path);
        using var again = restarted.CreateClient();
        var kept = (await again.ListAsync("orders")).Instances.Select(i => i.Ip).ToHashSet();
        Assert.InRange(kept.Count, 1, 49);
        Assert.Equal(Enumerable.Range(1, kept.Count).Select(i => $"10.0.0.{i}").ToHashSet(), kept);
    }
}
