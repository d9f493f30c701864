namespace Registry.Client.Tests.Failover;

/// <summary>A transport to several registries by host name, as a network of nodes is: each host has its own handler.</summary>
internal sealed class HostRouter(IReadOnlyDictionary<string, HttpMessageHandler> hosts) : HttpMessageHandler
{
    private readonly Dictionary<string, HttpMessageInvoker> _invokers =
        hosts.ToDictionary(static host => host.Key, static host => new HttpMessageInvoker(host.Value, disposeHandler: false));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invokers.TryGetValue(request.RequestUri!.Host, out var invoker)
            ? invoker.SendAsync(request, cancellationToken)
            : throw new HttpRequestException($"Name or service not known ({request.RequestUri.Host}:{request.RequestUri.Port})");
}
