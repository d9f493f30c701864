using System.Collections.Concurrent;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// Which native instance had a Eureka instance id when it was last seen, so that a renewal (every 30 s per
/// instance) reads one instance instead of its whole service. Only a hint: every hit is checked against the
/// instance itself, and a miss falls back to the list. Cleared when it grows past <see cref="MaxEntries"/>.
/// </summary>
internal sealed class EurekaInstanceIndex
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Service, string EurekaId), string> _ids = new();

    public string? Find(string service, string eurekaId) => _ids.GetValueOrDefault((service, eurekaId));

    public void Remember(string service, string eurekaId, string nativeId)
    {
        if (_ids.Count >= MaxEntries)
        {
            _ids.Clear();
        }

        _ids[(service, eurekaId)] = nativeId;
    }

    public void Forget(string service, string eurekaId) => _ids.TryRemove((service, eurekaId), out _);
}
