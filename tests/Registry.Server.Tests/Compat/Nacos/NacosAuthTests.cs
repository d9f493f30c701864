using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosAuthTests
{
    [Fact]
    public async Task Login_TokenNameAndSecret_ReturnsTheNacosLoginShape()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();

        var login = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/auth/login",
            form: [("username", "ops"), ("password", AuthApp.Admin)])).RootElement;
        var users = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/auth/users/login",
            query: [("username", "dashboard"), ("password", AuthApp.Reader)])).RootElement;

        Assert.Equal(AuthApp.Admin, login.GetProperty("accessToken").GetString());
        Assert.Equal(18000, login.GetProperty("tokenTtl").GetInt64());
        Assert.True(login.GetProperty("globalAdmin").GetBoolean());
        Assert.Equal("ops", login.GetProperty("username").GetString());
        Assert.False(users.GetProperty("globalAdmin").GetBoolean());
    }

    [Fact]
    public async Task Login_WrongNameOrSecret_Returns403()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/auth/login", form: [("username", "ci"), ("password", AuthApp.Admin)]);
        await client.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/auth/login", form: [("username", "ops"), ("password", "guess")]);
    }

    [Fact]
    public async Task Register_WithoutCredentials_Returns403TextAndStoresNothing()
    {
        await using var app = AuthApp.Create();
        using var anonymous = app.CreateClient();
        using var reader = app.Client(AuthApp.Reader);

        var (status, body, response) = await anonymous.SendAsync(HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "80")]);
        using var _ = response;

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(body);
        Assert.Empty((await reader.ListAsync(("serviceName", "orders"))).Ips());
    }

    [Fact]
    public async Task Register_UsernameAndPasswordParametersLikeTheNodeClient_AreAccepted()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "80"), ("username", "orders-app"), ("password", AuthApp.Registrar)]);
        await client.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.2"), ("port", "80"), ("username", "someone-else"), ("password", AuthApp.Registrar)]);

        var list = await client.ListAsync(("serviceName", "orders"), ("username", "dashboard"), ("password", AuthApp.Reader));
        Assert.Equal(["10.0.0.1:80"], list.Ips());
    }

    [Fact]
    public async Task Read_AccessTokenParameterAndBearerHeader_AreAccepted()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "1", ("accessToken", AuthApp.Writer));

        var (byParameter, _, first) = await client.SendAsync(HttpMethod.Get, "/nacos/v1/cs/configs",
            query: [("dataId", "a"), ("group", "g"), ("accessToken", AuthApp.Reader)]);
        first.Dispose();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AuthApp.Reader);
        var byHeader = await client.GetConfigAsync("a", "g");

        Assert.Equal(HttpStatusCode.OK, byParameter);
        Assert.Equal((HttpStatusCode.OK, "1"), byHeader);
    }

    [Fact]
    public async Task Publish_ReadOnlyToken_Returns403()
    {
        await using var app = AuthApp.Create();
        using var reader = app.Client(AuthApp.Reader);

        await reader.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/cs/configs",
            form: [("dataId", "a"), ("group", "g"), ("content", "1")]);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetConfigAsync("a", "g")).Status);
    }

    [Fact]
    public async Task Publish_TokenOfAnotherNamespace_Returns403AndInItsOwnSucceeds()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/console/namespaces", form: [("customNamespaceId", "dev"), ("namespaceName", "Dev")]);
        using var dev = app.Client(AuthApp.DevWriter);

        await dev.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/cs/configs", form: [("dataId", "a"), ("group", "g"), ("content", "1")]);
        await dev.PublishConfigAsync("a", "g", "1", ("tenant", "dev"));

        var visible = JsonDocument.Parse(await dev.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/console/namespaces")).RootElement;
        Assert.Equal(["dev"], visible.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("namespace").GetString()));
    }

    [Fact]
    public async Task RefusedRequests_AreRecordedAsDeniedLikeTheNativeOnes()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var reader = app.Client(AuthApp.Reader);
        using var anonymous = app.CreateClient();
        await anonymous.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/auth/login", form: [("username", "ops"), ("password", "guess")]);
        await anonymous.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "80")]);
        await reader.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/nacos/v1/cs/configs", form: [("dataId", "a"), ("group", "g"), ("content", "1")]);

        // Refusals are written in batches off the request path.
        var denied = await Eventually.MatchesAsync(
            async () => (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?outcome=denied", TestContext.Current.CancellationToken))!.Items,
            items => items.Count >= 3, "the three refusals in the audit log");

        Assert.Equal(
        [
            "anonymous POST /nacos/v1/auth/login: login as 'ops' refused: no live token of that name has that secret",
            "anonymous POST /nacos/v1/ns/instance: user not found!",
            "dashboard POST /nacos/v1/cs/configs: authorization failed! token 'dashboard' does not have the 'write' role.",
        ], denied.Select(e => $"{e.Actor} {e.Target}: {e.Detail}").Order(StringComparer.Ordinal));
        Assert.All(denied, e => Assert.Equal("auth.denied", e.Action));
    }

    [Fact]
    public async Task Metrics_StatusOnly_NeedsNoCredentials()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();

        Assert.Contains("\"UP\"", await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/operator/metrics"), StringComparison.Ordinal);
    }
}
