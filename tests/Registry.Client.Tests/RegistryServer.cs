using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Registry.Contracts.Naming;

namespace Registry.Client.Tests;

/// <summary>
/// The real registry server in memory, with its own in-memory store and real time. It is started under a lock:
/// the factory starts its server on first use and does not guard that, and the client's first request comes
/// from a background thread at the same moment as the test's own.
/// </summary>
internal sealed class RegistryServer(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly Lock _start = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A handler into the in-memory server, for the client's HTTP pipeline.</summary>
    public HttpMessageHandler Handler()
    {
        lock (_start)
        {
            return Server.CreateHandler();
        }
    }

    /// <summary>A client of the server, for the test's own calls.</summary>
    public HttpClient Client()
    {
        lock (_start)
        {
            return CreateClient();
        }
    }

    public async Task<InstanceInfo> RegisterAsync(string service, string ip, int port = 8080, double? weight = null)
    {
        using var client = Client();
        using var response = await client.PutAsJsonAsync($"/v1/services/{service}/instances", new { ip, port, weight }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
    }

    public async Task<IReadOnlyList<InstanceInfo>> ListAsync(string service, bool healthyOnly = false)
    {
        using var client = Client();
        return (await client.GetFromJsonAsync<InstanceList>($"/v1/services/{service}/instances?healthyOnly={(healthyOnly ? "true" : "false")}", Ct))!.Instances;
    }

    public async Task<InstanceInfo> InstanceAsync(string service, string id)
    {
        using var client = Client();
        return (await client.GetFromJsonAsync<InstanceInfo>($"/v1/services/{service}/instances/{Uri.EscapeDataString(id)}", Ct))!;
    }

    /// <summary>The names of the services of the default namespace and group.</summary>
    public async Task<IReadOnlyList<string>> TreeServicesAsync()
    {
        using var client = Client();
        var services = await client.GetFromJsonAsync<Registry.Contracts.Paged<ServiceInfo>>("/v1/services", Ct);
        return [.. services!.Items.Select(s => s.Name)];
    }

    public async Task DeregisterAsync(string service, string id)
    {
        using var client = Client();
        using var response = await client.DeleteAsync($"/v1/services/{service}/instances/{Uri.EscapeDataString(id)}", Ct);
        response.EnsureSuccessStatusCode();
    }

    public async Task PublishAsync(string dataId, string content, string contentType = "application/json")
    {
        using var client = Client();
        using var body = new StringContent(content, System.Text.Encoding.UTF8, contentType);
        using var response = await client.PutAsync($"/v1/configs/{dataId}", body, Ct);
        response.EnsureSuccessStatusCode();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Registry:Storage:Path", ":memory:");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Registry:Events:CoalesceWindow", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
