using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Naming;

namespace Registry.Client.Http;

/// <summary>
/// The naming calls of the v1 API, on an <see cref="HttpClient"/> from the factory whose pipeline retries
/// transient failures with backoff (Microsoft.Extensions.Http.Resilience) and sends the token.
/// </summary>
internal sealed class RegistryApi(HttpClient http, IOptions<RegistryClientOptions> options)
{
    private readonly RegistryClientOptions _options = options.Value;

    public async Task<InstanceInfo> RegisterAsync(string service, RegisterInstanceRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync(
            Path($"/v1/services/{Escape(service)}/instances"), request, RegistryJsonContext.Default.RegisterInstanceRequest, cancellationToken).ConfigureAwait(false);
        await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.InstanceInfo, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Renews the lease; null when the registry no longer knows the instance (register again).</summary>
    /// <param name="healthy">The application's own health: false keeps the lease but takes the instance out of healthy lists.</param>
    public async Task<HeartbeatResponse?> HeartbeatAsync(string service, string id, bool healthy, CancellationToken cancellationToken)
    {
        var path = Path($"/v1/services/{Escape(service)}/instances/{Escape(id)}/heartbeat", healthy ? null : "healthy=false");
        using var response = await http.PutAsync(path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.HeartbeatResponse, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeregisterAsync(string service, string id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(Path($"/v1/services/{Escape(service)}/instances/{Escape(id)}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The healthy instances (all enabled ones past the protect threshold), with endpoints for <paramref name="protocol"/>.</summary>
    public async Task<InstanceList> ListAsync(string service, string? protocol, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Path(ListPath(service), ListQuery(protocol)), cancellationToken).ConfigureAwait(false);
        await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.InstanceList, cancellationToken).ConfigureAwait(false))!;
    }

    public static string ListPath(string service) => $"/v1/services/{Escape(service)}/instances";

    public static string WatchPath(string service) => $"/v1/services/{Escape(service)}/watch";

    public static string ListQuery(string? protocol) =>
        "healthyOnly=true" + (protocol is null ? "" : "&protocol=" + Uri.EscapeDataString(protocol));

    /// <summary>A relative URI in this application's namespace and group.</summary>
    public Uri Path(string path, string? query = null) => RegistryUris.Relative(_options, path, query);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
