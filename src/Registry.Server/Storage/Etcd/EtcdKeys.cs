using System.Text;
using Google.Protobuf;

namespace Registry.Server.Storage.Etcd;

/// <summary>
/// Where the registry lives in etcd, all under <c>registry/</c>: the log key every transaction writes, the documents
/// the changes materialize, a marker per state key (its mod revision is when the key last changed) and the nodes.
/// </summary>
internal static class EtcdKeys
{
    /// <summary>Written by every append with the whole encoded entry: its watch history is the log.</summary>
    public static readonly ByteString Log = ByteString.CopyFromUtf8("registry/log");

    public const string Documents = "registry/d/";

    public const string Markers = "registry/k/";

    public const string Nodes = "registry/nodes/";

    public static ByteString Document(string collection, string key) => Utf8(Documents + collection + "/" + key);

    public static ByteString Marker(string key) => Utf8(Markers + key);

    public static ByteString Node(string id) => Utf8(Nodes + id);

    public static ByteString Utf8(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>: a range's end.</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        // A prefix of 0xff bytes only: to the end of the keyspace.
        return ByteString.CopyFrom(0);
    }
}
