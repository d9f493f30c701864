using System.Globalization;

namespace Registry.Server.Tests.Cluster;

/// <summary>
/// A cluster as it runs in production, in real processes on loopback: three etcd members and three Registry nodes
/// over them, each node killable and restartable on its own, with short leases so that faults play out in seconds.
/// Each node reaches the members through relays of its own, so that one node can be cut off from etcd alone.
/// </summary>
internal sealed class RegistryCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServerProcess?[] _nodes;
    private readonly int[] _ports;
    private readonly TcpProxy[][] _links;

    private readonly string[] _arguments;

    private RegistryCluster(EtcdCluster etcd, int size, string[] arguments)
    {
        Etcd = etcd;
        _arguments = arguments;
        _nodes = new ServerProcess?[size];
        _ports = [.. Enumerable.Range(0, size).Select(_ => ServerProcess.FreePort())];
        _links = [.. Enumerable.Range(0, size).Select(_ => etcd.ClientUrls.Select(url => new TcpProxy(url)).ToArray())];
    }

    public EtcdCluster Etcd { get; }

    /// <summary>The nodes' addresses, in order, whether they run or not.</summary>
    public IReadOnlyList<Uri> Addresses => [.. _ports.Select(port => new Uri($"http://127.0.0.1:{port}"))];

    /// <summary>Starts the members, then the nodes all at once, each with <paramref name="arguments"/> besides the cluster's own.</summary>
    public static async Task<RegistryCluster> StartAsync(int nodes = 3, params string[] arguments)
    {
        var cluster = new RegistryCluster(await EtcdCluster.StartAsync(3), nodes, arguments);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, nodes).Select(cluster.StartNewNodeAsync));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public ServerProcess Node(int index) => _nodes[index] ?? throw new InvalidOperationException($"Node {index} is not running.");

    public HttpClient Client(int index) => new() { BaseAddress = Addresses[index], Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Starts node <paramref name="index"/> for the first time: a port found free can be taken before the node binds
    /// it (any outgoing connection may get it), and then the node takes another.
    /// </summary>
    private async Task StartNewNodeAsync(int index)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartNodeAsync(index);
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Another process listens there", StringComparison.Ordinal))
            {
                _ports[index] = ServerProcess.FreePort();
            }
        }
    }

    /// <summary>Starts node <paramref name="index"/> (again), on its port, with its id.</summary>
    public async Task StartNodeAsync(int index)
    {
        var directory = _dir.File("node" + index.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        _nodes[index] = await ServerProcess.StartOnPortAsync(directory, _ports[index],
        [
            "--Registry:Storage:Provider=etcd",
            $"--Registry:Storage:Etcd:Endpoints={string.Join(',', _links[index].Select(static link => link.Address.GetLeftPart(UriPartial.Authority)))}",
            "--Registry:Storage:Etcd:NodeLeaseTtl=00:00:03",
            "--Registry:Storage:Etcd:RequestTimeout=00:00:02",
            $"--Registry:Cluster:NodeId=node{index}",
            .. _arguments,
        ]);
    }

    /// <summary>Cuts node <paramref name="index"/> off from every etcd member, or joins it again; the other nodes keep theirs.</summary>
    public void CutOff(int index, bool cut)
    {
        foreach (var link in _links[index])
        {
            link.Cut = cut;
        }
    }

    /// <summary>SIGKILL to node <paramref name="index"/>: it stops at once, as a crash would.</summary>
    public async Task KillNodeAsync(int index)
    {
        await Node(index).KillAsync();
        _nodes[index] = null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        foreach (var link in _links.SelectMany(static links => links))
        {
            await link.DisposeAsync();
        }

        await Etcd.DisposeAsync();
        _dir.Dispose();
    }
}
