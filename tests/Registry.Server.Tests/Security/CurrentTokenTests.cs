using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Admin;

namespace Registry.Server.Tests.Security;

public sealed class CurrentTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Current_AuthOnWithAToken_ShowsItsNameRolesAndNamespaces()
    {
        await using var app = AuthApp.Create();
        using var dev = app.Client(AuthApp.DevWriter);

        var current = await dev.GetFromJsonAsync<CurrentToken>("/v1/tokens/current", Ct);

        Assert.True(current!.AuthEnabled);
        Assert.Equal("dev-team", current.Token!.Name);
        Assert.Equal(["write"], current.Token.Roles);
        Assert.Equal(["dev"], current.Token.Namespaces);
    }

    [Fact]
    public async Task Current_AuthOnWithoutAToken_SaysATokenIsNeeded()
    {
        await using var app = AuthApp.Create();
        using var anonymous = app.Client(null);

        var current = await anonymous.GetFromJsonAsync<CurrentToken>("/v1/tokens/current", Ct);

        Assert.True(current!.AuthEnabled);
        Assert.Null(current.Token);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Current_UnknownToken_Returns401(bool authEnabled)
    {
        await using var app = authEnabled ? AuthApp.Create() : new RegistryApp();
        using var client = app.Client("rg_nobody");

        using var response = await client.GetAsync("/v1/tokens/current", Ct);

        Assert.Equal("unauthorized", (await response.ProblemAsync(HttpStatusCode.Unauthorized)).Code());
    }

    [Fact]
    public async Task Current_AuthOff_SaysSoWithoutAToken()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var current = await client.GetFromJsonAsync<CurrentToken>("/v1/tokens/current", Ct);

        Assert.False(current!.AuthEnabled);
        Assert.Null(current.Token);
    }
}
