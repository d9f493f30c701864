namespace Registry.Client.Tests;

/// <summary>A transport to the registry that can be cut: while down, every request fails as if the host were unreachable.</summary>
internal sealed class OutageHandler(Func<HttpMessageHandler>? inner) : DelegatingHandler(inner?.Invoke() ?? new HttpClientHandler())
{
    private volatile bool _down = inner is null;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _down
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (registry.test:80)"))
            : base.SendAsync(request, cancellationToken);
}
