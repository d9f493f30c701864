using System.Collections.Concurrent;

namespace Registry.Server.Naming;

/// <summary>Node ids, held once each: every instance names its owner, and a cluster has a handful of nodes.</summary>
internal static class NodeIds
{
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    public static string? Intern(string? id) => id is null ? null : Known.GetOrAdd(id, id);
}
