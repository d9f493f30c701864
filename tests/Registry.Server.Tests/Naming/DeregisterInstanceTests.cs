using System.Net;

namespace Registry.Server.Tests.Naming;

public sealed class DeregisterInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deregister_RegisteredInstance_Returns204WithTheNextRevisionAndRemovesIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        await client.RegisterAsync("orders", "10.0.0.2");

        using var response = await client.DeleteAsync(Api.Instance("orders", instance.Id), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Revision() > instance.Revision);
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("orders")).Instances.Select(i => i.Ip));
    }

    [Fact]
    public async Task Deregister_UnknownInstance_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync(Api.Instance("orders", "10.0.0.1#80#DEFAULT"), Ct);

        Assert.Equal("instance-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Deregister_ThenHeartbeat_Returns404SoTheClientRegistersAgain()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        (await client.DeleteAsync(Api.Instance("orders", instance.Id), Ct)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NotFound, await client.BeatAsync("orders", instance.Id));
        var again = await client.RegisterAsync("orders", "10.0.0.1");
        Assert.Equal(instance.Id, again.Id);
        Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));
    }

    [Fact]
    public async Task Deregister_PersistentInstance_RemovesIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, ephemeral = false });

        (await client.DeleteAsync(Api.Instance("orders", instance.Id), Ct)).EnsureSuccessStatusCode();

        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Deregister_BadServiceName_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync("/v1/services/bad%20name/instances/x", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("service"));
    }
}
