using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage.Etcd;

/// <summary>
/// The documents changes materialize, as keys of etcd (<c>registry/d/collection/key</c>). A change is written in the
/// transaction that gives it its revision, so it cannot know that revision: it is materialized at
/// <see cref="Stamp"/>, and a document read back carries the revision that wrote it (its mod revision) in its place.
/// </summary>
internal static class EtcdDocuments
{
    /// <summary>The revision documents are written at, replaced by the real one when read; no real revision is negative.</summary>
    public const long Stamp = -4_242_424_242_424_242;

    private static readonly byte[] StampedField = "\"revision\":-4242424242424242"u8.ToArray();

    private static readonly byte[] Field = "\"revision\":"u8.ToArray();

    /// <summary>The document as written, with every stamped revision field set to <paramref name="revision"/>.</summary>
    public static byte[] Unstamp(ReadOnlySpan<byte> value, long revision)
    {
        var at = value.IndexOf(StampedField);
        if (at < 0)
        {
            return value.ToArray();
        }

        var real = System.Text.Encoding.UTF8.GetBytes(revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var result = new List<byte>(value.Length);
        while (at >= 0)
        {
            result.AddRange(value[..at]);
            result.AddRange(Field);
            result.AddRange(real);
            value = value[(at + StampedField.Length)..];
            at = value.IndexOf(StampedField);
        }

        result.AddRange(value);
        return [.. result];
    }
}

/// <summary>Collects what changes materialize as the operations of one transaction.</summary>
internal sealed class EtcdDocumentWriter : IDocumentWriter
{
    public List<RequestOp> Operations { get; } = [];

    public long Bytes { get; private set; }

    public void Put(string collection, string key, byte[] value, bool created = false) =>
        Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Document(collection, key), Value = ByteString.CopyFrom(value) } });

    public void Delete(string collection, string key) =>
        Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Document(collection, key) } });

    public void DeleteRange(string collection, string fromKey, string toKey) =>
        Add(new RequestOp
        {
            RequestDeleteRange = new DeleteRangeRequest
            {
                Key = EtcdKeys.Document(collection, fromKey), RangeEnd = EtcdKeys.Document(collection, toKey),
            },
        });

    public void Add(RequestOp operation)
    {
        Operations.Add(operation);
        Bytes += operation.CalculateSize();
    }
}

/// <summary>
/// Reads the documents from etcd: at one revision (a consistent snapshot, to build the projections at start) or at
/// the latest (history and audit). Linearizable: what it reads was committed, and nothing committed before is missed.
/// </summary>
internal sealed class EtcdDocumentReader(KV.KVClient kv, long revision, TimeSpan timeout, TimeProvider time) : IDocumentReader
{
    private const int PageSize = 256;

    public byte[]? Get(string collection, string key)
    {
        var response = Range(new RangeRequest { Key = EtcdKeys.Document(collection, key), Revision = revision });
        return response.Kvs.Count == 0 ? null : EtcdDocuments.Unstamp(response.Kvs[0].Value.Span, response.Kvs[0].ModRevision);
    }

    public IEnumerable<StoredDocument> Scan(string collection, string prefix = "") =>
        Pages(collection, prefix, descending: false);

    public IEnumerable<StoredDocument> ScanDescending(string collection) => Pages(collection, "", descending: true);

    /// <summary>The documents of a collection under a prefix, a page at a time, in key order or its reverse.</summary>
    private IEnumerable<StoredDocument> Pages(string collection, string prefix, bool descending)
    {
        var start = EtcdKeys.Document(collection, prefix);
        var end = EtcdKeys.PrefixEnd(EtcdKeys.Documents + collection + "/" + prefix);
        var skip = collection.Length + EtcdKeys.Documents.Length + 1;
        while (true)
        {
            var request = new RangeRequest { Key = start, RangeEnd = end, Revision = revision, Limit = PageSize };
            if (descending)
            {
                request.SortOrder = RangeRequest.Types.SortOrder.Descend;
                request.SortTarget = RangeRequest.Types.SortTarget.Key;
            }

            var response = Range(request);
            foreach (var kv in response.Kvs)
            {
                yield return new StoredDocument(kv.Key.ToStringUtf8()[skip..], EtcdDocuments.Unstamp(kv.Value.Span, kv.ModRevision));
            }

            if (!response.More || response.Kvs.Count == 0)
            {
                yield break;
            }

            // Descending: up to, not including, the last key read; ascending: right after it.
            if (descending)
            {
                end = response.Kvs[^1].Key;
            }
            else
            {
                start = ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
            }
        }
    }

    private RangeResponse Range(RangeRequest request)
    {
        try
        {
            return kv.Range(request, deadline: (time.GetUtcNow() + timeout).UtcDateTime);
        }
        catch (RpcException ex)
        {
            throw new StoreUnavailableException(
                $"History and the audit log are read from etcd, which cannot answer now ({ex.Status.Detail}). Retry once it has a quorum.", ex);
        }
    }
}
