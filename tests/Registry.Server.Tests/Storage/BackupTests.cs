using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Contracts.Metadata;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Storage;

public sealed class BackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backup_TakenWhileWritesGoOn_IsConsistentAndTheServerStartsFromIt()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var backup = dir.File("backup.db");
        long revision;
        await using (var app = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = app.CreateClient();
            (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
            await client.PublishAsync("app.yaml", "a: 1\n", query: "namespace=dev");
            await client.PublishAsync("app.yaml", "a: 2\n", query: "namespace=dev");
            await client.PutMetadataAsync("pay", new { tags = new[] { "v1" } });
            await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, ephemeral = false });

            // Writes keep coming while the backup is taken; it holds a prefix of them, never half of one.
            using var writing = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !writing.IsCancellationRequested; i++)
                {
                    await client.RegisterAsync("busy", $"10.1.{i / 250 % 250}.{i % 250 + 1}");
                }
            }, Ct);
            using var response = await client.PostAsync("/v1/admin/backup", null, Ct);
            await writing.CancelAsync();
            await writer;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
            revision = response.Revision();
            await File.WriteAllBytesAsync(backup, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        }

        await using var restored = new RegistryApp(time, backup);
        using var again = restored.CreateClient();

        Assert.Equal("a: 2\n", (await again.ReadAsync("app.yaml", "namespace=dev")).Content);
        Assert.Equal("a: 1\n", (await again.ReadAsync("app.yaml", "namespace=dev&version=1")).Content);
        Assert.Equal(["v1"], (await again.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!.Tags);
        Assert.Single((await again.ListAsync("orders")).Instances);
        var busy = (await again.ListAsync("busy")).Instances;
        Assert.All(busy, i => Assert.True(i.Revision <= revision));
        Assert.Equal(busy.Count == 0 ? 0 : busy.Max(i => i.Revision), busy.Count == 0 ? 0 : (await again.ListAsync("busy")).Revision);
        var next = await again.RegisterAsync("later", "10.9.9.9");
        Assert.Equal(revision + 1, next.Revision);
    }

    [Fact]
    public async Task Backup_IsStagedPrivatelyBesideTheDataAndGoneOnceSent()
    {
        using var dir = new TempDirectory();
        await using var app = new RegistryApp(storagePath: Path.Combine(dir.File("data"), "registry.db"));
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "password: secret\n");

        using var response = await client.PostAsync("/v1/admin/backup", null, Ct);
        await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var staging = Path.Combine(dir.File("data"), ".backups");
        Assert.True(Directory.Exists(staging));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging));
        }

        await Eventually.TrueAsync(() => Directory.GetFiles(staging).Length == 0, "the sent backup deleted");
    }

    [Fact]
    public async Task Start_BackupLeftByACrash_IsRemoved()
    {
        using var dir = new TempDirectory();
        var staging = Directory.CreateDirectory(dir.File(".backups"));
        var leftover = Path.Combine(staging.FullName, "backup-0123.db");
        await File.WriteAllTextAsync(leftover, "half a backup", Ct);

        await using var app = new RegistryApp(storagePath: dir.File("registry.db"));
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Backup_IsRecordedInTheAuditLogAndIsForAdminsOnly()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var writer = app.Client(AuthApp.Writer);

        using var refused = await writer.PostAsync("/v1/admin/backup", null, Ct);
        using var taken = await admin.PostAsync("/v1/admin/backup", null, Ct);

        await refused.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?action=backup", Ct))!;
        Assert.Equal("ops", Assert.Single(audit.Items).Actor);
    }
}
