namespace Registry.Client;

/// <summary>Where the registry is and how this application talks to it.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>The configuration section the options bind from: <c>Registry:Client</c>.</summary>
    public const string Section = "Registry:Client";

    /// <summary>The registry's base address, e.g. <c>http://registry:8848</c>.</summary>
    public Uri Server { get; set; } = new("http://127.0.0.1:8848");

    /// <summary>
    /// Every node of a registry cluster (<c>Registry:Client:Servers:0</c>, <c>…:1</c>, …), in place of
    /// <see cref="Server"/>: the client talks to one and moves to the next when it cannot be reached or answers 503;
    /// beats, watches and configuration follow it.
    /// </summary>
    public IList<Uri> Servers { get; set; } = [];

    /// <summary>A bearer token, when the registry has auth on.</summary>
    public string? Token { get; set; }

    /// <summary>The namespace this application registers in and resolves from.</summary>
    public string Namespace { get; set; } = "public";

    /// <summary>The group this application registers in and resolves from.</summary>
    public string Group { get; set; } = "DEFAULT_GROUP";

    /// <summary>How this application registers itself; leave <see cref="RegistrationOptions.Service"/> empty to only resolve.</summary>
    public RegistrationOptions Registration { get; set; } = new();

    /// <summary>How resolved lists are kept fresh.</summary>
    public DiscoveryOptions Discovery { get; set; } = new();
}

/// <summary>How the application registers itself and keeps its lease.</summary>
public sealed class RegistrationOptions
{
    /// <summary>The service name to register under; empty means the application does not register.</summary>
    public string? Service { get; set; }

    /// <summary>The address others reach this instance at; by default the host of the server's first address, or this machine's name.</summary>
    public string? Ip { get; set; }

    /// <summary>The port others reach this instance at; by default the port of the server's first address.</summary>
    public int? Port { get; set; }

    /// <summary>The cluster (deployment slice); the registry's default when null.</summary>
    public string? Cluster { get; set; }

    /// <summary>The relative weight for selection, 0 to 10000; the service's default when null.</summary>
    public double? Weight { get; set; }

    /// <summary>Free string properties of the instance, such as its version.</summary>
    public Dictionary<string, string> Metadata { get; set; } = [];

    /// <summary>Deregister on graceful shutdown (default true).</summary>
    public bool DeregisterOnShutdown { get; set; } = true;

    /// <summary>
    /// Let the application's own health checks (<c>AddHealthChecks()</c>) decide the health the registry shows for
    /// this instance (default true): before each beat they run (all but the registry check), and while any reports
    /// Unhealthy the instance stays registered but out of healthy lists and picks. Without health checks, healthy.
    /// </summary>
    public bool UseHealthChecks { get; set; } = true;
}

/// <summary>How the resolver keeps its lists.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Keep lists fresh through the registry's server-sent event watch (default true); otherwise poll.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often lists are re-read while no watch is connected.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A directory where the last known lists are saved, so a restart during a registry outage still
    /// resolves; null keeps them in memory only.
    /// </summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>
    /// When service discovery asks for a name without an instance that can take traffic, let the next provider
    /// answer (the pass-through to DNS: <c>http://orders</c> becomes the host <c>orders</c>). False by default: the
    /// call fails with <see cref="Discovery.NoInstanceAvailableException"/>, naming the service, namespace and group.
    /// </summary>
    public bool FallbackToDns { get; set; }
}
