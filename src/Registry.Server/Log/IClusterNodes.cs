namespace Registry.Server.Log;

/// <summary>
/// The nodes that share the log, as this node sees them. Ephemeral instances are owned by the node their client beats
/// to: only the owner judges their leases, and the nodes that live on take over the instances of one that died.
/// </summary>
internal interface IClusterNodes
{
    /// <summary>This node's id; null on a single node, which owns every instance.</summary>
    string? Self { get; }

    /// <summary>
    /// Whether this node may judge leases now: it holds its own node lease and reaches the store. A node cut off
    /// evicts nothing and takes nothing over.
    /// </summary>
    bool CanDecide { get; }

    /// <summary>The ids of the nodes alive now, this one included.</summary>
    IReadOnlySet<string> Live { get; }
}

/// <summary>One server alone: it owns every instance and always decides.</summary>
internal sealed class SingleNode : IClusterNodes
{
    public string? Self => null;

    public bool CanDecide => true;

    public IReadOnlySet<string> Live { get; } = new HashSet<string>();
}
