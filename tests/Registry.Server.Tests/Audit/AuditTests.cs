using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Server.Audit;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Audit;

public sealed class AuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_AreRecordedWithWhoWhatWhenAndWhere()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var writer = app.Client(AuthApp.Writer);
        (await admin.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        var config = await writer.PublishAsync("app.yaml", "a: 1\n", query: "group=shop");
        await writer.PutMetadataAsync("pay", new { tags = new[] { "x" } });
        (await writer.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.5 }, Ct)).EnsureSuccessStatusCode();
        (await writer.DeleteAsync(ConfigApi.Path("app.yaml", "group=shop"), Ct)).EnsureSuccessStatusCode();
        await writer.RegisterAsync("orders", "10.0.0.1");

        var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?outcome=ok", Ct))!;

        Assert.Equal(["config.delete", "service.put", "metadata.put", "config.publish", "namespace.put"], audit.Items.Select(e => e.Action));
        var publish = audit.Items[3];
        Assert.Equal(("ci", "public", "shop/app.yaml", config.Revision), (publish.Actor, publish.Namespace, publish.Target, publish.Revision));
        Assert.Equal(app.Time.GetUtcNow(), publish.Time);
        Assert.Equal(("ops", "dev"), (audit.Items[4].Actor, audit.Items[4].Target));
    }

    [Fact]
    public async Task EveryKindOfChange_IsRecorded()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var writer = app.Client(AuthApp.Writer);
        (await admin.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        (await admin.DeleteAsync("/v1/namespaces/dev", Ct)).EnsureSuccessStatusCode();
        using var created = await admin.PostAsJsonAsync("/v1/tokens", new { name = "temp", roles = new[] { "read" } }, Ct);
        var token = (await created.Content.ReadFromJsonAsync<CreatedToken>(Ct))!.Token;
        (await admin.DeleteAsync($"/v1/tokens/{token.Id}", Ct)).EnsureSuccessStatusCode();
        await writer.PublishAsync("app.yaml", "a: 1\n");
        await writer.PublishAsync("app.yaml", "a: 2\n");
        (await writer.PostAsync(ConfigApi.Path("app.yaml/rollback", "to=1"), null, Ct)).EnsureSuccessStatusCode();
        await writer.PutMetadataAsync("pay", new { tags = new[] { "x" } });
        (await writer.DeleteAsync("/v1/services/pay/metadata", Ct)).EnsureSuccessStatusCode();
        var instance = await app.Client(AuthApp.Registrar).RegisterAsync("orders", "10.0.0.1");
        (await writer.PatchAsJsonAsync(Api.Instance("orders", instance.Id), new { weight = 3 }, Ct)).EnsureSuccessStatusCode();
        (await writer.PutAsJsonAsync("/v1/services/empty", new { protectThreshold = 0.5 }, Ct)).EnsureSuccessStatusCode();
        (await writer.DeleteAsync("/v1/services/empty", Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/v1/admin/backup", null, Ct)).EnsureSuccessStatusCode();

        var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?outcome=ok", Ct))!;

        Assert.Equal(
        [
            "backup.create", "service.delete", "service.put", "instance.patch", "metadata.delete", "metadata.put",
            "config.rollback", "config.publish", "config.publish", "token.revoke", "token.create", "namespace.delete", "namespace.put",
        ], audit.Items.Select(e => e.Action));
        Assert.All(audit.Items.Where(e => e.Action.StartsWith("config.", StringComparison.Ordinal)), e => Assert.Equal("ci", e.Actor));
        Assert.Equal(token.Id, audit.Items.Single(e => e.Action == "token.revoke").Target);
    }

    [Fact]
    public async Task RefusedRequests_AreRecordedAsDenied()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var reader = app.Client(AuthApp.Reader);
        using var stranger = app.Client("guess");
        await reader.PutAsync("app.yaml", "a: 1\n", query: "namespace=public");
        await stranger.GetAsync("/v1/tree", Ct);

        // Refusals are written in batches off the request path.
        var denied = await Eventually.MatchesAsync(
            async () => (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?outcome=denied", Ct))!.Items,
            items => items.Count >= 2, "both refusals in the audit log");

        Assert.Equal(["anonymous", "dashboard"], denied.Select(e => e.Actor).Order());
        Assert.All(denied, e => Assert.Equal("auth.denied", e.Action));
        Assert.Contains(denied, e => e.Target == "PUT /v1/configs/app.yaml" && e.Detail!.Contains("'write'", StringComparison.Ordinal));
        Assert.Equal([("GET /v1/tree", "*"), ("PUT /v1/configs/app.yaml", "public")], denied.Select(e => (e.Target, e.Namespace)).Order());
    }

    [Fact]
    public async Task Audit_Filters_ByActorActionNamespaceAndTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = AuthApp.Create(time);
        using var admin = app.Client(AuthApp.Admin);
        using var writer = app.Client(AuthApp.Writer);
        (await admin.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        time.Advance(TimeSpan.FromHours(1));
        await writer.PublishAsync("a.txt", "x", "text/plain");
        await writer.PublishAsync("b.txt", "x", "text/plain", "namespace=dev");

        async Task<string[]> Actions(string query) =>
            [.. (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>($"/v1/audit?{query}", Ct))!.Items.Select(e => $"{e.Action}:{e.Target}")];

        Assert.Equal(["config.publish:DEFAULT_GROUP/b.txt", "config.publish:DEFAULT_GROUP/a.txt"], await Actions("actor=ci"));
        Assert.Equal(["namespace.put:dev"], await Actions("action=namespace."));
        Assert.Equal(["config.publish:DEFAULT_GROUP/b.txt", "namespace.put:dev"], await Actions("namespace=dev"));
        Assert.Equal(["namespace.put:dev"], await Actions("to=2026-01-01T00:30:00Z"));
        Assert.Equal(2, (await Actions("from=2026-01-01T00:30:00Z")).Length);
        Assert.Equal(["config.publish:DEFAULT_GROUP/b.txt"], await Actions("pageSize=1"));
    }

    [Theory]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("pageSize=0", "pageSize")]
    public async Task Audit_BadQuery_Returns400(string query, string field)
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);

        using var response = await admin.GetAsync($"/v1/audit?{query}", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task Retention_RemovesEntriesOlderThanTheMaximumAge()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = AuthApp.Create(time, more: new() { ["Registry:Audit:MaxAge"] = "7.00:00:00" });
        using var writer = app.Client(AuthApp.Writer);
        using var admin = app.Client(AuthApp.Admin);
        await writer.PublishAsync("old.txt", "x", "text/plain");
        time.Advance(TimeSpan.FromDays(8));
        await writer.PublishAsync("new.txt", "x", "text/plain");

        await app.Service<AuditLog>().TrimAsync(Ct);

        var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit", Ct))!;
        Assert.Equal(["DEFAULT_GROUP/new.txt"], audit.Items.Select(e => e.Target));
    }

    [Fact]
    public async Task AuthOff_ChangesAreStillAudited()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, ConfigApi.Path("a.txt")) { Content = ConfigApi.Body("x", "text/plain") };
        request.Headers.Add("X-Registry-User", "alice");
        (await client.SendAsync(request, Ct)).EnsureSuccessStatusCode();

        var audit = (await client.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit", Ct))!;

        Assert.Equal(("alice", "config.publish"), (audit.Items.Single().Actor, audit.Items.Single().Action));
    }
}
