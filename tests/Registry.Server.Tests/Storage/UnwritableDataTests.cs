using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Log;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// A data directory that stops taking writes while the server runs, made so with the immutable attribute
/// (which binds root too; where it cannot be set, the tests are skipped).
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class UnwritableDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));

    [Fact]
    public async Task DataFilesUnwritable_WritesFailWith503ReadsGoOnAndWritesWorkAgainOnceWritable()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data", "registry.db");
        await using (var app = new RegistryApp(_time, data))
        {
            using var client = app.CreateClient();
            await client.RegisterAsync("orders", "10.0.0.1");
            await client.PublishAsync("app.yaml", "a: 1\n");

            using (var frozen = Immutable.TryApply([Path.GetDirectoryName(data)!, .. Directory.GetFileSystemEntries(Path.GetDirectoryName(data)!, "*", SearchOption.AllDirectories)]))
            {
                if (frozen is null)
                {
                    Assert.Skip("The immutable attribute cannot be set here.");
                }

                using var register = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.2", port = 8080 }, Ct);
                Assert.Equal("store-unavailable", (await register.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
                using var publish = await client.PutAsync("app.yaml", "a: 2\n");
                Assert.Equal("store-unavailable", (await publish.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());

                Assert.Equal(["10.0.0.1"], (await client.ListAsync("orders")).Instances.Select(i => i.Ip));
                Assert.Equal("a: 1\n", (await client.ReadAsync("app.yaml")).Content);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz", Ct)).StatusCode);

                // What only the data file holds reads as it was (the refused publish is not in it), or not at all while
                // the fold it needs first is refused; which, depends on whether the fold came before the disk stopped.
                using (var history = await client.GetAsync(ConfigApi.Path("app.yaml/history"), Ct))
                {
                    if (history.StatusCode == HttpStatusCode.OK)
                    {
                        Assert.Equal([1L], (await history.Content.ReadFromJsonAsync<Paged<ConfigVersionInfo>>(Ct))!.Items.Select(v => v.Version));
                    }
                    else
                    {
                        Assert.Equal("store-unavailable", (await history.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
                    }
                }
            }

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
            using (var history = await client.GetAsync(ConfigApi.Path("app.yaml/history"), Ct))
            {
                Assert.Equal(HttpStatusCode.OK, history.StatusCode);
            }

            await client.RegisterAsync("orders", "10.0.0.3");
            await client.PublishAsync("app.yaml", "a: 3\n");
        }

        await using var restarted = new RegistryApp(_time, data);
        using var again = restarted.CreateClient();
        Assert.Equal(["10.0.0.1", "10.0.0.3"], (await again.ListAsync("orders")).Instances.Select(i => i.Ip).Order(StringComparer.Ordinal));
        Assert.Equal("a: 3\n", (await again.ReadAsync("app.yaml")).Content);
        Assert.Equal(HttpStatusCode.NotFound, (await again.ReadAsync("app.yaml", "version=3")).Status);
    }

    [Fact]
    public async Task DataDirectoryUnwritable_WritesAreRefusedFromTheNextProbeUntilOneSucceeds()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data", "registry.db");
        await using var app = new RegistryApp(_time, data);
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        var store = app.Service<IChangeLog>();

        // The open files still take appends, but nothing new can be created beside them (LiteDB's own log).
        using (var frozen = Immutable.TryApply(Path.GetDirectoryName(data)!))
        {
            if (frozen is null)
            {
                Assert.Skip("The immutable attribute cannot be set here.");
            }

            Assert.NotNull(store.Probe());

            using var register = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.2", port = 8080 }, Ct);
            Assert.Equal("store-unavailable", (await register.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
            Assert.Equal(["10.0.0.1"], (await client.ListAsync("orders")).Instances.Select(i => i.Ip));
        }

        // The next write probes again by itself, without waiting for the periodic probe.
        await client.RegisterAsync("orders", "10.0.0.2");
        Assert.Equal(["10.0.0.1", "10.0.0.2"], (await client.ListAsync("orders")).Instances.Select(i => i.Ip).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_DataFilesUnwritable_ExitsSayingWhichFileAndWhy()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        Directory.CreateDirectory(data);
        var journal = Path.Combine(data, "registry.db.journal");
        await File.WriteAllBytesAsync(journal, [], Ct);
        using var frozen = Immutable.TryApply(data, journal);
        if (frozen is null)
        {
            Assert.Skip("The immutable attribute cannot be set here.");
        }

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Registry cannot start: The data file {Path.Combine(data, "registry.db")} cannot be opened for writing", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
