using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;

namespace Registry.Server.Naming;

/// <summary>Node ids, held once each: every instance names its owner, and a cluster has a handful of nodes.</summary>
internal static class NodeIds
{
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    public static string? Intern(string? id) => id is null ? null : Known.GetOrAdd(id, id);

    /// <summary>
    /// The node of <paramref name="nodes"/> that ranks highest for <paramref name="key"/> (rendezvous hashing): every node
    /// picks the same one, and a node that joins or leaves moves only the keys it ranks highest for. Null when there is none.
    /// </summary>
    public static string? Rendezvous(string key, IEnumerable<string> nodes)
    {
        string? best = null;
        var bestRank = 0UL;
        foreach (var node in nodes)
        {
            var rank = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{node}\n{key}"));
            if (best is null || rank > bestRank || (rank == bestRank && string.CompareOrdinal(node, best) < 0))
            {
                (best, bestRank) = (node, rank);
            }
        }

        return best;
    }
}
