using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Registry.Server.Log;

/// <summary>
/// The snapshot store as a change writes into it: JSON documents by key in named collections. Keys sort
/// ordinally, which history (zero-padded versions) and the audit log (time-ordered keys) rely on.
/// </summary>
internal interface IDocumentWriter
{
    /// <param name="created">The key did not exist before: the store may insert without looking it up (a hint).</param>
    void Put(string collection, string key, byte[] value, bool created = false);

    void Delete(string collection, string key);

    /// <summary>Removes every key from <paramref name="fromKey"/> (inclusive) to <paramref name="toKey"/> (exclusive).</summary>
    void DeleteRange(string collection, string fromKey, string toKey);
}

/// <summary>The snapshot store as it is read: at start (to build the projections) and for what only it holds (history, audit).</summary>
internal interface IDocumentReader
{
    byte[]? Get(string collection, string key);

    /// <summary>Every document whose key starts with <paramref name="prefix"/>, in key order, read lazily.</summary>
    IEnumerable<StoredDocument> Scan(string collection, string prefix = "");

    /// <summary>Every document of a collection, newest (greatest) key first, read lazily.</summary>
    IEnumerable<StoredDocument> ScanDescending(string collection);
}

internal readonly record struct StoredDocument(string Key, byte[] Value);

/// <summary>A typed view of one collection of the snapshot store: its name and how its documents are serialized.</summary>
internal sealed class StoreCollection<T>(string name, JsonTypeInfo<T> typeInfo)
{
    public string Name { get; } = name;

    public byte[] Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public T Deserialize(byte[] value) =>
        JsonSerializer.Deserialize(value, typeInfo)
        ?? throw new InvalidDataException($"A null document is stored in collection '{Name}'.");

    public T? Read(IDocumentReader store, string key) => store.Get(Name, key) is { } bytes ? Deserialize(bytes) : default;

    public IEnumerable<T> ReadAll(IDocumentReader store, string prefix = "")
    {
        foreach (var document in store.Scan(Name, prefix))
        {
            yield return Deserialize(document.Value);
        }
    }

    public void Put(IDocumentWriter writer, string key, T value, bool created = false) => writer.Put(Name, key, Serialize(value), created);

    public void Delete(IDocumentWriter writer, string key) => writer.Delete(Name, key);
}
