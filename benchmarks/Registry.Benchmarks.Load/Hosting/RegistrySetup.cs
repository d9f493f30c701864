using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Benchmarks.Load.Load;

namespace Registry.Benchmarks.Load.Hosting;

/// <summary>Puts a server into the state a scenario starts from, through the public API.</summary>
internal static class RegistrySetup
{
    /// <summary>Registers the instances of keys [<paramref name="fromKey"/>, <paramref name="toKey"/>) as <paramref name="template"/> does, by many concurrent clients.</summary>
    public static Task RegisterAsync(
        HttpClient client, RequestTemplate template, long fromKey, long toKey, CancellationToken cancellationToken) =>
        Parallel.ForAsync(fromKey, toKey, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (k, ct) =>
            {
                using var content = new StringContent(template.RenderBody(k)!, Encoding.UTF8, "application/json");
                using var response = await client.PutAsync(new Uri(template.RenderPath(k), UriKind.Relative), content, ct);
                Ensure(response, HttpStatusCode.Created, HttpStatusCode.OK);
            });

    public static async Task PublishAsync(HttpClient client, string dataId, string content, CancellationToken cancellationToken)
    {
        using var body = new StringContent(content, Encoding.UTF8, "text/plain");
        using var response = await client.PutAsync(new Uri($"/v1/configs/{dataId}?format=text", UriKind.Relative), body, cancellationToken);
        Ensure(response, HttpStatusCode.Created, HttpStatusCode.OK);
    }

    /// <summary>How many instances a service lists; none when it does not answer 200 (not loaded yet, say).</summary>
    public static async Task<int?> CountInstancesAsync(HttpClient client, string service, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri($"/v1/services/{service}/instances", UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return document.RootElement.GetProperty("instances").GetArrayLength();
    }

    /// <summary>
    /// A gauge from /metrics, such as <c>dotnet_total_memory_bytes</c>, summed over its labels (as
    /// <c>registry_instances</c> by namespace and health); none when the server does not export it (yet).
    /// </summary>
    public static Task<double?> MetricAsync(HttpClient client, string name, CancellationToken cancellationToken) =>
        MetricAsync(client, name, having: null, cancellationToken);

    /// <summary>
    /// A metric summed over the series whose labels include <paramref name="having"/> (<c>health="healthy"</c>), or
    /// over all of them; none when the server does not export it (yet).
    /// </summary>
    public static async Task<double?> MetricAsync(HttpClient client, string name, string? having, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var values = text.Split('\n')
            .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Where(l => having is null || l[..l.LastIndexOf(' ')].Contains(having, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
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
