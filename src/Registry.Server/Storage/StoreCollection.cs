using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Registry.Server.Storage;

/// <summary>A typed view of one store collection: its name and how its documents are serialized.</summary>
internal sealed class StoreCollection<T>(string name, JsonTypeInfo<T> typeInfo)
{
    public string Name { get; } = name;

    public byte[] Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public T Deserialize(byte[] value) =>
        JsonSerializer.Deserialize(value, typeInfo)
        ?? throw new InvalidDataException($"A null document is stored in collection '{Name}'.");

    public IEnumerable<T> ReadAll(IRegistryStore store, string prefix = "")
    {
        foreach (var document in store.Scan(Name, prefix))
        {
            yield return Deserialize(document.Value);
        }
    }
}
