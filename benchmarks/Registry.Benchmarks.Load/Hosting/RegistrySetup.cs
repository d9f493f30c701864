using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Benchmarks.Load.Load;

namespace Registry.Benchmarks.Load.Hosting;

/// <summary>Puts a server into the state a scenario starts from, through the public API.</summary>
internal static class RegistrySetup
{
    /// <summary>Instances are registered as <see cref="Scenarios.Register"/> does, by many concurrent clients.</summary>
    public static async Task RegisterAsync(HttpClient client, string servicePrefix, long fromKey, long toKey, CancellationToken cancellationToken)
    {
        var template = Scenarios.Register(servicePrefix);
        await Parallel.ForAsync(fromKey, toKey, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (k, ct) =>
            {
                using var content = new StringContent(template.RenderBody(k)!, Encoding.UTF8, "application/json");
                using var response = await client.PutAsync(new Uri(template.RenderPath(k), UriKind.Relative), content, ct);
                Ensure(response, HttpStatusCode.Created, HttpStatusCode.OK);
            });
    }

    public static async Task PublishAsync(HttpClient client, string dataId, string content, CancellationToken cancellationToken)
    {
        using var body = new StringContent(content, Encoding.UTF8, "text/plain");
        using var response = await client.PutAsync(new Uri($"/v1/configs/{dataId}?format=text", UriKind.Relative), body, cancellationToken);
        Ensure(response, HttpStatusCode.Created, HttpStatusCode.OK);
    }

    /// <summary>How many instances a service lists.</summary>
    public static async Task<int> CountInstancesAsync(HttpClient client, string service, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri($"/v1/services/{service}/instances", UriKind.Relative), cancellationToken);
        Ensure(response, HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("instances").GetArrayLength();
    }

    /// <summary>A gauge from /metrics, such as <c>dotnet_total_memory_bytes</c>.</summary>
    public static async Task<double?> MetricAsync(HttpClient client, string name, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static void Ensure(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}.");
        }
    }
}
