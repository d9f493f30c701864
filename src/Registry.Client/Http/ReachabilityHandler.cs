using System.Net;
using Registry.Client.Telemetry;

namespace Registry.Client.Http;

/// <summary>Tells <see cref="RegistryReachability"/> how each call of the client fared, after its retries and fail-over.</summary>
internal sealed class ReachabilityHandler(RegistryReachability reachability) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            reachability.Failed(ex);
            throw;
        }

        if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            reachability.Failed(null, response.StatusCode);
        }
        else
        {
            reachability.Reached();
        }

        return response;
    }
}
