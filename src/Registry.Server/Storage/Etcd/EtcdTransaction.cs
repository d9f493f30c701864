using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage.Etcd;

/// <summary>
/// A proposal as one etcd transaction. If no key it read or writes changed after it read it (each key's marker has
/// a mod revision no later than that), it puts the markers of what it writes, the documents it materializes and the
/// encoded entry at <see cref="EtcdKeys.Log"/>; else it reads the markers back, to tell which revision got there first.
/// </summary>
internal static class EtcdTransaction
{
    /// <summary>What a transaction carries besides its operations' own bytes.</summary>
    private const int Overhead = 4 * 1024;

    public static TxnRequest Build(Proposal proposal, byte[] body, EtcdOptions options)
    {
        var txn = new TxnRequest();
        foreach (var (key, revision) in Preconditions(proposal))
        {
            var marker = EtcdKeys.Marker(key);
            txn.Compare.Add(new Compare
            {
                Key = marker, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Less, ModRevision = revision + 1,
            });
            txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = marker, KeysOnly = true } });
        }

        var writer = new EtcdDocumentWriter();
        var markers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in proposal.Changes)
        {
            if (change.Key() is { } key)
            {
                markers.Add(key);
            }

            markers.UnionWith(change.Scopes());
            change.MaterializeAlone(writer, EtcdDocuments.Stamp);
        }

        foreach (var marker in markers)
        {
            writer.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Marker(marker) } });
        }

        // Audit keys need telling apart before the revision is known: a random tag, ordered by time before it.
        var tag = Guid.NewGuid().ToString("N")[..12];
        AuditRecord.Materialize(writer, new LogEntry(EtcdDocuments.Stamp, proposal.Changes, proposal.Audit), tag);
        writer.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Log, Value = ByteString.CopyFrom(body) } });

        var bytes = writer.Bytes + txn.CalculateSize() + Overhead;
        if (bytes > options.MaxRequestBytes)
        {
            throw new ChangeTooLargeException(string.Create(CultureInfo.InvariantCulture,
                $"The change needs a transaction of {bytes} bytes in the cluster store, which takes at most {options.MaxRequestBytes} (etcd's --max-request-bytes, Registry:Storage:Etcd:MaxRequestBytes). A document is written three times (the log, its current version, its history): keep it under a third of that."));
        }

        if (writer.Operations.Count > options.MaxTxnOps || txn.Compare.Count > options.MaxTxnOps)
        {
            throw new ChangeTooLargeException(string.Create(CultureInfo.InvariantCulture,
                $"The change touches {Math.Max(writer.Operations.Count, txn.Compare.Count)} keys of the cluster store, which takes at most {options.MaxTxnOps} operations per transaction (etcd's --max-txn-ops, Registry:Storage:Etcd:MaxTxnOps)."));
        }

        txn.Success.AddRange(writer.Operations);
        return txn;
    }

    /// <summary>The latest revision of the keys a failed transaction compared: what got there first.</summary>
    public static long Conflict(TxnResponse response) =>
        response.Responses.Where(static r => r.ResponseCase == ResponseOp.ResponseOneofCase.ResponseRange)
            .SelectMany(static r => r.ResponseRange.Kvs)
            .Select(static kv => kv.ModRevision)
            .DefaultIfEmpty(response.Header.Revision)
            .Max();

    /// <summary>Every key the proposal read or writes, each with the earliest revision it was read at.</summary>
    private static Dictionary<string, long> Preconditions(Proposal proposal)
    {
        var keys = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(string key, long revision) =>
            keys[key] = keys.TryGetValue(key, out var known) ? Math.Min(known, revision) : revision;

        foreach (var (key, revision) in proposal.Reads)
        {
            Add(key, revision);
        }

        foreach (var key in proposal.WrittenKeys)
        {
            if (key is not null)
            {
                Add(key, proposal.ReadRevision(key));
            }
        }

        return keys;
    }
}
