namespace Registry.Client.Http;

/// <summary>
/// The nodes of a registry cluster a client may talk to, and the one it talks to now: every call goes to the current
/// node, and one that cannot be reached (or cannot serve) makes the next one current, for every caller at once.
/// </summary>
internal sealed class ServerList
{
    private readonly Uri[] _servers;
    private int _current;

    /// <param name="server">The one server, used when <paramref name="servers"/> is empty.</param>
    public ServerList(Uri server, IEnumerable<Uri>? servers)
    {
        _servers = servers?.ToArray() is { Length: > 0 } many ? many : [server];
        foreach (var address in _servers)
        {
            if (!address.IsAbsoluteUri)
            {
                throw new ArgumentException($"A registry server must be an absolute URI; '{address}' is not.", nameof(servers));
            }
        }
    }

    /// <summary>The address requests are built on (the HttpClient's base address); the handler moves them to the current node.</summary>
    public Uri First => _servers[0];

    public int Count => _servers.Length;

    /// <summary>Whether <paramref name="host"/> names one of the nodes.</summary>
    public bool IsServerHost(string host) => _servers.Any(server => string.Equals(server.Host, host, StringComparison.OrdinalIgnoreCase));

    public Uri Current => _servers[Volatile.Read(ref _current) % _servers.Length];

    public override string ToString() => string.Join(", ", _servers.Select(static s => s.ToString()));

    /// <summary><paramref name="failed"/> did not answer: the next node becomes current, unless another caller moved on already.</summary>
    public void MoveFrom(Uri failed)
    {
        var index = Volatile.Read(ref _current);
        if (_servers[index % _servers.Length] == failed)
        {
            Interlocked.CompareExchange(ref _current, (index + 1) % _servers.Length, index);
        }
    }
}
