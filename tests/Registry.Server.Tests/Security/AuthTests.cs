using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Contracts.Config;
using Registry.Contracts.Naming;
using Registry.Server.Security;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Security;

public sealed class AuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_WithoutToken_Returns401ProblemWithAChallenge()
    {
        await using var app = AuthApp.Create();
        using var client = app.Client(null);

        using var response = await client.GetAsync(Api.Instances("orders"), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", problem.Code());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Bearer nope", "The token is unknown, revoked or expired.")]
    [InlineData("Basic dXNlcjpwYXNz", "The token is unknown, revoked or expired.")]
    [InlineData("Token abc", "The Authorization header must be 'Bearer <token>', or Basic with the token as the password.")]
    public async Task Request_WithABadToken_Returns401SayingWhy(string header, string detail)
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        using var response = await client.GetAsync(Api.Instances("orders"), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ReadToken_ReadsButCannotChangeAnything()
    {
        await using var app = AuthApp.Create();
        using var reader = app.Client(AuthApp.Reader);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Api.Instances("orders"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/tree", Ct)).StatusCode);
        using var register = await reader.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.1", port = 80 }, Ct);
        using var publish = await reader.PutAsync("app.yaml", "a: 1\n");

        var problem = await register.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", problem.Code());
        Assert.Contains("'register'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await publish.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RegisterToken_RegistersBeatsAndDeregistersOnly()
    {
        await using var app = AuthApp.Create();
        using var registrar = app.Client(AuthApp.Registrar);

        var instance = await registrar.RegisterAsync("orders", "10.0.0.1");
        Assert.Equal(HttpStatusCode.OK, await registrar.BeatAsync("orders", instance.Id));
        using var patch = await registrar.PatchAsJsonAsync(Api.Instance("orders", instance.Id), new { weight = 3 }, Ct);
        using var publish = await registrar.PutAsync("app.yaml", "a: 1\n");
        using var list = await registrar.GetAsync(Api.Instances("orders"), Ct);
        using var deregister = await registrar.DeleteAsync(Api.Instance("orders", instance.Id), Ct);

        await patch.ProblemAsync(HttpStatusCode.Forbidden);
        await publish.ProblemAsync(HttpStatusCode.Forbidden);
        await list.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, deregister.StatusCode);
    }

    [Fact]
    public async Task WriteToken_ChangesConfigAsTheAuthorButNotNamespaces()
    {
        await using var app = AuthApp.Create();
        using var writer = app.Client(AuthApp.Writer);

        using var publish = await writer.PutAsync("app.yaml", "a: 1\n", headers: ("X-Registry-User", "mallory"));
        using var ns = await writer.PutAsync("/v1/namespaces/dev", null, Ct);

        Assert.Equal("ci", (await publish.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!.Author);
        await ns.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync(ConfigApi.Path("app.yaml"), Ct)).StatusCode);
        await writer.RegisterAsync("orders", "10.0.0.1");
    }

    [Fact]
    public async Task NamespaceScopedToken_ActsOnlyInItsNamespacesAndSeesOnlyThem()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var dev = app.Client(AuthApp.DevWriter);
        (await admin.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();

        using var inDev = await dev.PutAsync("app.yaml", "a: 1\n", query: "namespace=dev");
        using var inPublic = await dev.PutAsync("app.yaml", "a: 1\n");
        var namespaces = await dev.GetFromJsonAsync<Paged<NamespaceInfo>>("/v1/namespaces", Ct);
        var tree = await dev.GetFromJsonAsync<NamingTree>("/v1/tree", Ct);

        Assert.Equal(HttpStatusCode.Created, inDev.StatusCode);
        var problem = await inPublic.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("namespace 'public'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["dev"], namespaces!.Items.Select(n => n.Id));
        Assert.Equal(["dev"], tree!.Namespaces.Select(n => n.Id));
    }

    [Fact]
    public async Task AdminToken_CreatesTokensThatWorkAndRevokesThem()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);

        using var response = await admin.PostAsJsonAsync("/v1/tokens", new { name = "gateway", roles = new[] { "read" } }, Ct);
        var created = (await response.Content.ReadFromJsonAsync<CreatedToken>(Ct))!;
        using var gateway = app.Client(created.Secret);
        var listed = await admin.GetFromJsonAsync<List<TokenInfo>>("/v1/tokens", Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("rg_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(("gateway", "ops"), (created.Token.Name, created.Token.CreatedBy));
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/v1/tree", Ct)).StatusCode);
        Assert.Contains(listed!, t => t.Name == "gateway" && t.Source == "api");
        Assert.DoesNotContain(created.Secret, await admin.GetStringAsync("/v1/tokens", Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/tokens/{created.Token.Id}", Ct)).StatusCode);
        await (await gateway.GetAsync("/v1/tree", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeToken_FromConfiguration_Returns409()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);

        using var response = await admin.DeleteAsync("/v1/tokens/config-ci", Ct);

        Assert.Equal("token-from-config", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Theory]
    [InlineData("ops")]
    [InlineData("reporting")]
    [InlineData("Reporting")]
    public async Task CreateToken_NameTaken_Returns409AndCreatesNothing(string name)
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        (await admin.PostAsJsonAsync("/v1/tokens", new { name = "reporting", roles = new[] { "read" } }, Ct)).EnsureSuccessStatusCode();
        var before = (await admin.GetFromJsonAsync<List<TokenInfo>>("/v1/tokens", Ct))!.Count;

        using var response = await admin.PostAsJsonAsync("/v1/tokens", new { name, roles = new[] { "read" } }, Ct);

        Assert.Equal("token-name-taken", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(before, (await admin.GetFromJsonAsync<List<TokenInfo>>("/v1/tokens", Ct))!.Count);
    }

    [Theory]
    [InlineData("""{"name":"x y","roles":["read"]}""", "name")]
    [InlineData("""{"name":"x","roles":[]}""", "roles")]
    [InlineData("""{"name":"x","roles":["root"]}""", "roles")]
    [InlineData("""{"name":"x","roles":["read"],"namespaces":["bad ns"]}""", "namespaces")]
    [InlineData("""{"name":"x","roles":["read"],"expiresAt":"2000-01-01T00:00:00Z"}""", "expiresAt")]
    public async Task CreateToken_BadRequest_Returns400(string body, string field)
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);

        using var response = await admin.PostAsync("/v1/tokens", RegisterInstanceTests.Json(body), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task Token_PastItsExpiry_Returns401()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = AuthApp.Create(time);
        using var admin = app.Client(AuthApp.Admin);
        using var response = await admin.PostAsJsonAsync("/v1/tokens",
            new { name = "temp", roles = new[] { "read" }, expiresAt = time.GetUtcNow().AddHours(1) }, Ct);
        var created = (await response.Content.ReadFromJsonAsync<CreatedToken>(Ct))!;
        using var temp = app.Client(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await temp.GetAsync("/v1/tree", Ct)).StatusCode);

        time.Advance(TimeSpan.FromHours(1));

        await (await temp.GetAsync("/v1/tree", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(AuthApp.Writer)]
    [InlineData(AuthApp.Reader)]
    [InlineData(null)]
    public async Task TokensAndAudit_AreForAdminsOnly(string? secret)
    {
        await using var app = AuthApp.Create();
        using var client = app.Client(secret);

        using var tokens = await client.GetAsync("/v1/tokens", Ct);
        using var audit = await client.GetAsync("/v1/audit", Ct);

        Assert.Contains(tokens.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Contains(audit.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task OperationalEndpoints_NeedNoToken(string path)
    {
        await using var app = AuthApp.Create();
        using var client = app.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task FirstStart_WithoutAnAdminToken_GeneratesOneShownOnceAndKeepsItsHash()
    {
        using var dir = new TempDirectory();
        var announced = new List<string>();
        var settings = new Dictionary<string, string?> { ["Registry:Auth:Enabled"] = "true" };
        await using (var first = new RegistryApp(storagePath: dir.File("registry.db"), settings: settings,
            services: s => s.AddSingleton<IAdminTokenAnnouncer>(new ListAnnouncer(announced))))
        {
            first.StartServer();
            using var admin = first.Client(Assert.Single(announced));
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/tokens", Ct)).StatusCode);
            var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?action=token.create", Ct))!;
            Assert.Equal("bootstrap", Assert.Single(audit.Items).Actor);
        }

        await using var second = new RegistryApp(storagePath: dir.File("registry.db"), settings: settings,
            services: s => s.AddSingleton<IAdminTokenAnnouncer>(new ListAnnouncer(announced)));
        using var again = second.Client(announced[0]);

        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v1/tokens", Ct)).StatusCode);
        Assert.Single(announced);
        Assert.DoesNotContain(announced[0], await File.ReadAllTextAsync(dir.File("registry.db"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthOff_ValidTokenStillNamesTheAuthor()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Auth:Tokens:0:Name"] = "ci",
            ["Registry:Auth:Tokens:0:Hash"] = TokenSecrets.Hash("s"),
            ["Registry:Auth:Tokens:0:Roles:0"] = "write",
        });
        using var anonymous = app.Client(null);
        using var named = app.Client("s");

        Assert.Equal("anonymous", (await anonymous.PublishAsync("a.txt", "x", "text/plain")).Author);
        Assert.Equal("ci", (await named.PublishAsync("b.txt", "x", "text/plain")).Author);
    }

    private sealed class ListAnnouncer(List<string> secrets) : IAdminTokenAnnouncer
    {
        public void Announce(string secret) => secrets.Add(secret);
    }
}
