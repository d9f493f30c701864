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

    private readonly ConcurrentDictionary<ConfigKey, Item> _items = new();

    /// <summary>Notes that <paramref name="client"/> got <paramref name="version"/> of <paramref name="key"/>.</summary>
    public void Saw(ConfigKey key, ConfigClient client, DocumentVersion<ConfigBody> version, string via)
    {
        var item = _items.GetOrAdd(key, static _ => new Item());
        var now = time.GetUtcNow();
        if (item.Clients.Count >= MaxPerItem && !item.Clients.ContainsKey(client.Id) && !item.Forget(now))
        {
            return;
        }

        item.Clients[client.Id] = new Seen(client, version.Version, version.Body?.Rule is not null, via, now);
    }

    /// <summary>The clients of <paramref name="key"/> seen within <see cref="ForgetAfter"/>, by id.</summary>
    public IReadOnlyList<ConfigClientInfo> Of(ConfigKey key)
    {
        if (!_items.TryGetValue(key, out var item))
        {
            return [];
        }

        item.Forget(time.GetUtcNow(), force: true);
        return [.. item.Clients.Values.OrderBy(seen => seen.Client.Id, StringComparer.Ordinal).Select(seen => new ConfigClientInfo
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

    /// <summary>An item's clients, and when those not seen for a day were last forgotten.</summary>
    private sealed class Item
    {
        /// <summary>How often a full item looks for clients to forget to make room (each look walks all of them).</summary>
        private static readonly TimeSpan LookEvery = TimeSpan.FromMinutes(1);

        private long _lookedAt;

        public ConcurrentDictionary<string, Seen> Clients { get; } = new(StringComparer.Ordinal);

        /// <summary>Forgets the clients not seen since a day before <paramref name="now"/>; whether any were.</summary>
        public bool Forget(DateTimeOffset now, bool force = false)
        {
            var looked = Interlocked.Read(ref _lookedAt);
            if (!force && (now.UtcTicks - looked < LookEvery.Ticks || Interlocked.CompareExchange(ref _lookedAt, now.UtcTicks, looked) != looked))
            {
                return false;
            }

            var cutoff = now - ForgetAfter;
            var forgot = false;
            foreach (var (id, seen) in Clients)
            {
                if (seen.At < cutoff)
                {
                    forgot |= Clients.TryRemove(id, out _);
                }
            }

            return forgot;
        }
    }
}
