using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class EurekaAuthTests
{
    private static HttpClient Basic(RegistryApp app, string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("eureka:" + secret)));
        return client;
    }

    [Fact]
    public async Task AuthOn_NoCredentials_Returns401()
    {
        await using var app = AuthApp.Create();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await client.SendAsync(HttpMethod.Get, "/eureka/apps/"));
        using var response = await client.RegisterAsync(EurekaApi.Instance(), EurekaApi.Spring);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AuthOn_BasicWithATokenSecretAsPassword_RegistersAndReads()
    {
        await using var app = AuthApp.Create();
        using var registrar = Basic(app, AuthApp.Registrar);
        using var reader = Basic(app, AuthApp.Reader);

        await registrar.RegisteredAsync(EurekaApi.Instance(), EurekaApi.Spring);

        Assert.Single(EurekaApi.Instances(await reader.GetJsonAsync("/eureka/apps/")));
        Assert.Equal(HttpStatusCode.OK, await registrar.SendAsync(HttpMethod.Put, "/eureka/apps/MYAPP/host1:myapp:8080"));
    }

    [Fact]
    public async Task AuthOn_BearerToken_IsAcceptedToo_AndRolesApply()
    {
        await using var app = AuthApp.Create();
        using var reader = app.Client(AuthApp.Reader);

        using var response = await reader.RegisterAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await reader.SendAsync(HttpMethod.Get, "/eureka/v2/apps"));
    }

    [Fact]
    public async Task AuthOn_TokenOfAnotherNamespace_IsRefusedEvenWithANamespaceQuery()
    {
        await using var app = AuthApp.Create();
        using var dev = Basic(app, AuthApp.DevWriter);

        Assert.Equal(HttpStatusCode.Forbidden, await dev.SendAsync(HttpMethod.Get, "/eureka/v2/apps?namespace=dev"));
    }

    [Fact]
    public async Task AuthOn_BasicWithAWrongPassword_Returns401()
    {
        await using var app = AuthApp.Create();
        using var client = Basic(app, "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, await client.SendAsync(HttpMethod.Get, "/eureka/apps/"));
    }
}
