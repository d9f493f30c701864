namespace Registry.Contracts;

/// <summary>HTTP header names of the Registry API.</summary>
public static class RegistryHeaders
{
    /// <summary>The revision a mutation took, on every successful change.</summary>
    public const string Revision = "X-Registry-Revision";

    /// <summary>
    /// On a read: answer only once the node has applied at least this revision (a write's <see cref="Revision"/>),
    /// to read one's writes on any node of a cluster; the node waits a few seconds at most.
    /// </summary>
    public const string MinRevision = "X-Registry-Min-Revision";

    /// <summary>
    /// <c>true</c> on a response from a cluster node that lost its store: it serves what it last applied, which may be
    /// behind the cluster, and refuses writes.
    /// </summary>
    public const string Stale = "X-Registry-Stale";

    /// <summary>On a config read: the client's labels, <c>name=value</c> pairs separated by commas, for gray rules.</summary>
    public const string Labels = "X-Registry-Labels";

    /// <summary>On a config read: the client's stable id, which a gray release by percentage hashes.</summary>
    public const string ClientId = "X-Registry-Client-Id";
}
