using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Registry.Client.Http;

/// <summary>Sends the configured token with every request to the registry.</summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<RegistryClientOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
