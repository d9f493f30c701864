using System.Collections.Concurrent;
using Registry.Contracts.Config;
using Registry.Server.Documents;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// The clients this node has served config items to (by read, long poll or watch), with their labels and the version
/// each got: what an admin checks while a gray release goes on. Held in memory and bounded: at most
/// <see cref="MaxPerItem"/> clients per item, and a client not seen for <see cref="ForgetAfter"/> is forgotten.
/// </summary>
internal sealed class ConfigClients(IClusterNodes nodes, TimeProvider time)
{
    public const int MaxPerItem = 10_000;
    public const string Read = "read";
    public const string Poll = "poll";
    public const string Watch = "watch";
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<ConfigKey, ConcurrentDictionary<string, Seen>> _items = new();

    /// <summary>Notes that <paramref name="client"/> got <paramref name="version"/> of <paramref name="key"/>.</summary>
    public void Saw(ConfigKey key, ConfigClient client, DocumentVersion<ConfigBody> version, string via)
    {
        var clients = _items.GetOrAdd(key, static _ => new ConcurrentDictionary<string, Seen>(StringComparer.Ordinal));
        if (clients.Count >= MaxPerItem && !clients.ContainsKey(client.Id))
        {
            return;
        }

        clients[client.Id] = new Seen(client, version.Version, version.Body?.Rule is not null, via, time.GetUtcNow());
    }

    /// <summary>The clients of <paramref name="key"/> seen within <see cref="ForgetAfter"/>, by id.</summary>
    public IReadOnlyList<ConfigClientInfo> Of(ConfigKey key)
    {
        if (!_items.TryGetValue(key, out var clients))
        {
            return [];
        }

        var cutoff = time.GetUtcNow() - ForgetAfter;
        foreach (var (id, seen) in clients)
        {
            if (seen.At < cutoff)
            {
                clients.TryRemove(id, out _);
            }
        }

        return [.. clients.Values.OrderBy(seen => seen.Client.Id, StringComparer.Ordinal).Select(seen => new ConfigClientInfo
        {
            Id = seen.Client.Id,
            Address = seen.Client.Address?.ToString() ?? "",
            Labels = seen.Client.Labels,
            Version = seen.Version,
            Gray = seen.Gray,
            Via = seen.Via,
            SeenAt = seen.At,
            Node = nodes.Self,
        })];
    }

    private sealed record Seen(ConfigClient Client, long Version, bool Gray, string Via, DateTimeOffset At);
}
