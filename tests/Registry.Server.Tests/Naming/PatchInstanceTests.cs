using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class PatchInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Patch_Disable_TakesTheInstanceOutOfHealthyListsAndPicks()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", "10.0.0.1");
        await client.RegisterAsync("orders", "10.0.0.2");

        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", a.Id), new { enabled = false }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
        Assert.False(patched.Enabled);
        Assert.True(patched.Revision > a.Revision);
        Assert.Equal(patched.Revision, response.Revision());
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("orders", "healthyOnly=true")).Instances.Select(i => i.Ip));
        Assert.Equal(2, (await client.ListAsync("orders")).Instances.Count);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("10.0.0.2", (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("orders") + "/pick", Ct))!.Ip);
        }
    }

    [Fact]
    public async Task Patch_WeightAndMetadata_ReplacesThemAndKeepsTheRest()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, metadata = new { zone = "a", version = "1" } });

        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", a.Id), new { weight = 7.5, metadata = new { zone = "b" } }, Ct);

        var patched = (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
        Assert.Equal(7.5, patched.Weight);
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "b" }, patched.Metadata);
        Assert.True(patched.Enabled);
    }

    [Fact]
    public async Task Patch_HealthOfPersistentInstance_SetsIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, ephemeral = false });

        (await client.PatchAsJsonAsync(Api.Instance("orders", a.Id), new { healthy = false }, Ct)).EnsureSuccessStatusCode();

        Assert.False(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
        Assert.Empty((await client.ListAsync("orders", "healthyOnly=true")).Instances);
    }

    [Fact]
    public async Task Patch_HealthOfEphemeralInstance_Returns409Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", a.Id), new { healthy = false }, Ct);

        Assert.Equal("ephemeral-instance-health", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
    }

    [Fact]
    public async Task Patch_NothingChanged_KeepsTheRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", a.Id), new { enabled = true }, Ct);

        Assert.Equal(a.Revision, (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!.Revision);
    }

    [Fact]
    public async Task Patch_UnknownInstance_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", "x#1#DEFAULT"), new { weight = 1 }, Ct);

        Assert.Equal("instance-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Theory]
    [InlineData("""{"weight":-0.1}""", "weight")]
    [InlineData("""{"weight":20000}""", "weight")]
    [InlineData("""{"metadata":{"":"x"}}""", "metadata")]
    [InlineData("""{"enabled":"no"}""", "enabled")]
    [InlineData("""{"weight":""", "weight")]
    [InlineData("""{"ip":"9.9.9.9"}""", "ip")]
    [InlineData("""{"weight":2,"weight":3}""", "weight")]
    public async Task Patch_BadInput_Returns400AndChangesNothing(string body, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.PatchAsync(Api.Instance("orders", a.Id), RegisterInstanceTests.Json(body), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
        var unchanged = Assert.Single((await client.ListAsync("orders")).Instances);
        Assert.Equal((null, true, a.Revision), (unchanged.Weight, unchanged.Enabled, unchanged.Revision));
    }
}
