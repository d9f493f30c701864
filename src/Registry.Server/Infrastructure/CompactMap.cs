using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Registry.Server.Infrastructure;

/// <summary>
/// A small read-only string map held as one array of keys and values, for maps that every instance carries a few
/// entries of: a quarter of a dictionary's memory, and lookups as fast for the handful of entries it holds. Short
/// keys and values are shared through a bounded pool, since most instances repeat the same ones (a zone, a version).
/// </summary>
internal sealed class CompactMap : IReadOnlyDictionary<string, string>
{
    private const int MaxPooledLength = 64;
    private const int MaxPooled = 1 << 16;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    /// <summary>Keys at even positions, each followed by its value; in the order given.</summary>
    private readonly string[] _items;

    private CompactMap(string[] items) => _items = items;

    /// <summary>A compact copy of <paramref name="map"/>, or the shared empty map.</summary>
    public static IReadOnlyDictionary<string, string> From(IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return MetadataMaps.Empty;
        }

        if (map is CompactMap compact)
        {
            return compact;
        }

        var items = new string[map.Count * 2];
        var i = 0;
        foreach (var (key, value) in map)
        {
            items[i++] = Shared(key);
            items[i++] = Shared(value);
        }

        return new CompactMap(items);
    }

    public int Count => _items.Length / 2;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => Enumerable.Range(0, Count).Select(i => _items[i * 2]);

    public IEnumerable<string> Values => Enumerable.Range(0, Count).Select(i => _items[(i * 2) + 1]);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        for (var i = 0; i < _items.Length; i += 2)
        {
            if (string.Equals(_items[i], key, StringComparison.Ordinal))
            {
                value = _items[i + 1];
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i += 2)
        {
            yield return new KeyValuePair<string, string>(_items[i], _items[i + 1]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Shared(string text)
    {
        if (text.Length > MaxPooledLength)
        {
            return text;
        }

        if (Pool.TryGetValue(text, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxPooled ? Pool.GetOrAdd(text, text) : text;
    }
}
