using Registry.Server.Tests.Compat.Eureka;
using Registry.Server.Tests.Compat.Nacos;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Compat;

/// <summary>One registry behind three APIs: an instance registered through any of them is seen by the other two.</summary>
public sealed class ThreeSurfaceTests
{
    [Fact]
    public async Task Register_OneThroughEachSurface_AllThreeSeeAllThree()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisterAsync("inventory", new { ip = "10.0.0.1", port = 8080 });
        await NacosApi.RegisterAsync(client, "inventory", "10.0.0.2");
        await client.RegisteredAsync(EurekaApi.Instance(app: "inventory", instanceId: "inv-3", ip: "10.0.0.3"));

        var native = (await client.ListAsync("inventory")).Instances.Select(i => $"{i.Ip}:{i.Port}");
        var nacos = (await client.ListAsync(("serviceName", "inventory"))).Ips();
        var eureka = EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))
            .Where(i => i["app"].Text() == "INVENTORY")
            .Select(i => $"{i["ipAddr"].Text()}:{(int)i["port"]!["$"]!}");

        string[] all = ["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"];
        Assert.Equal(all, native.Order(StringComparer.Ordinal));
        Assert.Equal(all, nacos.Order(StringComparer.Ordinal));
        Assert.Equal(all, eureka.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deregister_ThroughEureka_IsGoneFromNacosAndNative()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await NacosApi.RegisterAsync(client, "inventory", "10.0.0.2");
        await client.RegisteredAsync(EurekaApi.Instance(app: "inventory", instanceId: "inv-3", ip: "10.0.0.3"));

        Assert.Equal(System.Net.HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/INVENTORY/inv-3"));

        Assert.Equal(["10.0.0.2:8080"], (await client.ListAsync(("serviceName", "inventory"))).Ips());
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("inventory")).Instances.Select(i => i.Ip));
    }
}
