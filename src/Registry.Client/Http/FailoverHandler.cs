using System.Net;

namespace Registry.Client.Http;

/// <summary>
/// Sends each call to the current node of the <see cref="ServerList"/>; when that node cannot be reached, or answers
/// 503 (it lost its store, or is behind the revision asked for), the same call goes to the next node, each node once.
/// A single server is passed through untouched.
/// </summary>
internal sealed class FailoverHandler(ServerList servers) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (servers.Count == 1 || request.RequestUri is not { } uri || !servers.First.IsBaseOf(uri))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var relative = servers.First.MakeRelativeUri(uri);
        for (var attempt = 1; ; attempt++)
        {
            var server = servers.Current;
            request.RequestUri = new Uri(server, relative);
            var last = attempt == servers.Count;
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || last)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException) when (!last && !cancellationToken.IsCancellationRequested)
            {
                // Refused, reset or unresolvable: the next node.
            }

            servers.MoveFrom(server);
        }
    }
}
