namespace Registry.Client.Configuration;

/// <summary>Where a config item lives in the registry and how it is kept up to date.</summary>
public sealed class RegistryConfigOptions
{
    /// <summary>The registry's base address; by default <c>Registry:Client:Server</c> of the configuration built so far.</summary>
    public Uri Server { get; set; } = new("http://127.0.0.1:8848");

    /// <summary>Every node of a registry cluster, in place of <see cref="Server"/>; by default <c>Registry:Client:Servers</c>.</summary>
    public IList<Uri> Servers { get; set; } = [];

    /// <summary>A bearer token, when the registry has auth on; by default <c>Registry:Client:Token</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The item's namespace; by default <c>Registry:Client:Namespace</c>, else <c>public</c>.</summary>
    public string Namespace { get; set; } = "public";

    /// <summary>The item's group; by default <c>Registry:Client:Group</c>, else <c>DEFAULT_GROUP</c>.</summary>
    public string Group { get; set; } = "DEFAULT_GROUP";

    /// <summary>
    /// Start even when the registry cannot be reached (the values arrive once it can); by default a
    /// registry that cannot be reached at start fails the start. A missing item is always fine: it is empty
    /// until published.
    /// </summary>
    public bool Optional { get; set; }

    /// <summary>Follow the item's changes over the registry's watch and reload (default true).</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>
    /// Labels this application sends with every read (<c>X-Registry-Labels</c>), which a gray release can select it by,
    /// such as <c>zone=eu</c> or <c>canary=true</c>; by default <c>Registry:Client:Labels</c>.
    /// </summary>
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// This instance's id (<c>X-Registry-Client-Id</c>): a gray release by percentage picks instances by it, so it should
    /// stay the same across restarts; by default <c>Registry:Client:ClientId</c>, else the machine's name.
    /// </summary>
    public string ClientId { get; set; } = Environment.MachineName;

    /// <summary>A prefix for every key, such as <c>Orders</c>; none by default.</summary>
    public string? SectionPrefix { get; set; }

    /// <summary>The longest wait between attempts to reconnect the watch.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The transport to the registry; a default handler when null (tests and proxies set their own).</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; set; }

    /// <summary>The clock for reconnect delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
