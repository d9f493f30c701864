using System.Collections.Concurrent;
using DiffPlex.Renderer;
using Registry.Contracts;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Documents;

/// <summary>
/// The kernel of versioned documents, shared by config and metadata: the current version of each document in memory
/// (a projection of the log), history in the snapshot store, and the one way to decide a write: If-Match /
/// If-None-Match, a deletion as a version, numbering that goes on after a deletion, count retention. Reads of any
/// version, history pages, diffs and rollbacks work the same for every kind.
/// </summary>
internal abstract class DocumentTable<TKey, TBody>(DocumentKind<TKey, TBody> kind, IChangeLog log) : IProjection
    where TKey : struct, IDocumentKey
    where TBody : class
{
    private const int DiffContextLines = 3;
    private readonly ConcurrentDictionary<TKey, DocumentHead<TBody>> _heads = new();

    // Live documents per namespace, kept as heads change: a count answers without a scan.
    private readonly ConcurrentDictionary<string, int> _liveByNamespace = new(StringComparer.Ordinal);

    public DocumentKind<TKey, TBody> Kind { get; } = kind;

    /// <summary>Every document, deleted ones (tombstones) included.</summary>
    public IEnumerable<KeyValuePair<TKey, DocumentHead<TBody>>> All => _heads;

    /// <summary>Versions of history kept per document; 0 keeps all.</summary>
    public abstract int MaxVersions { get; }

    public DocumentHead<TBody>? Find(TKey key) => _heads.GetValueOrDefault(key);

    /// <summary>Live (not deleted) documents in namespace <paramref name="ns"/>, without a scan.</summary>
    public int LiveIn(string ns) => _liveByNamespace.GetValueOrDefault(ns);

    /// <summary>Live documents of every namespace that ever held one (zero once emptied).</summary>
    public IEnumerable<KeyValuePair<string, int>> LiveByNamespace => _liveByNamespace;

    /// <summary>Called by the one applying thread: moves the namespace's live count as a head comes, changes or goes.</summary>
    private void Counted(TKey key, DocumentHead<TBody>? before, DocumentHead<TBody>? after)
    {
        var delta = (after?.Live is null ? 0 : 1) - (before?.Live is null ? 0 : 1);
        if (delta != 0)
        {
            _liveByNamespace.AddOrUpdate(key.Namespace, delta, (_, count) => count + delta);
        }
    }

    public DocumentVersion<TBody>? FindLive(TKey key) => Find(key)?.Live;

    public void Load(IDocumentReader snapshot)
    {
        foreach (var document in snapshot.Scan(Kind.HeadCollection))
        {
            var key = Kind.ParseKey(document.Key);
            var head = Kind.DecodeHead(document.Value);
            Counted(key, _heads.GetValueOrDefault(key), head);
            _heads[key] = head;
            Loaded(key, head);
        }
    }

    public void Apply(LogEntry entry, EventBatch events)
    {
        foreach (var change in entry.Changes)
        {
            switch (change)
            {
                case DocumentWritten<TKey, TBody> written:
                    var head = written.Head(entry.Revision);
                    Counted(written.Document, _heads.GetValueOrDefault(written.Document), head);
                    _heads[written.Document] = head;
                    Written(written.Document, head, written.Version with { Revision = entry.Revision }, events);
                    break;
                case DocumentTrimmed<TKey, TBody> trimmed:
                    Counted(trimmed.Document, _heads.GetValueOrDefault(trimmed.Document), trimmed.Head);
                    _heads[trimmed.Document] = trimmed.Head;
                    break;
                case DocumentRemoved<TKey, TBody> removed when _heads.TryRemove(removed.Document, out var gone):
                    Counted(removed.Document, gone, null);
                    Removed(removed.Document, entry.Revision, events);
                    break;
            }
        }
    }

    /// <summary>
    /// Decides the next version of a document into <paramref name="proposal"/>: <paramref name="body"/> (null deletes
    /// it) as <paramref name="op"/> (null: create or update), if the conditions hold against the live version. With
    /// <paramref name="skipUnchanged"/> a body equal to the live one makes no version. A version the log has taken
    /// in but not applied yet counts as live: a hot document takes many versions per disk write, each on the last.
    /// </summary>
    public DocumentDecision<TBody> Decide(
        Proposal proposal, TKey key, TBody? body, string? op, Actor actor, DateTimeOffset now, string? ifMatch, string? ifNoneMatch,
        bool skipUnchanged, bool endsCandidate = false) =>
        Decide(proposal, key, _ => body, op, actor, now, ifMatch, ifNoneMatch, skipUnchanged, endsCandidate);

    /// <summary>
    /// As the other <c>Decide</c>, with the next body made from the live one (null when there is none): a change to
    /// part of a document builds on the version it decides after, pending ones included. A candidate stays one, unless
    /// <paramref name="endsCandidate"/> (it is what becomes current).
    /// </summary>
    public DocumentDecision<TBody> Decide(
        Proposal proposal, TKey key, Func<TBody?, TBody?> next, string? op, Actor actor, DateTimeOffset now, string? ifMatch,
        string? ifNoneMatch, bool skipUnchanged, bool endsCandidate = false)
    {
        var head = Latest(proposal, key);
        var live = head?.Live;
        var body = next(live?.Body);
        if (body is null && live is null)
        {
            return new DocumentDecision<TBody>(Kind.NotFound(key));
        }

        if (EntityTags.PreconditionFails(ifMatch, ifNoneMatch, live?.Version))
        {
            return new DocumentDecision<TBody>(Kind.VersionMismatch(key, live?.Version ?? 0));
        }

        if (skipUnchanged && body is not null && live is not null && Kind.SameContent(live.Body!, body))
        {
            return new DocumentDecision<TBody>(Unchanged: live);
        }

        var version = Next(head, op ?? (live is null ? DocumentOps.Create : DocumentOps.Update), body, actor, now, out var first, out var trimmedFrom);
        proposal.Add(Write(key, version, first, trimmedFrom, current: null, candidate: endsCandidate ? null : head?.Candidate));
        return new DocumentDecision<TBody>(Written: version, Created: live is null);
    }

    /// <summary>
    /// Decides a note of history into <paramref name="proposal"/>: a version that does not become current. With
    /// <paramref name="isCandidate"/> it becomes the document's candidate, else the document has none after it (its
    /// candidate was abandoned). The document must be live.
    /// </summary>
    public DocumentDecision<TBody> DecideNote(
        Proposal proposal, TKey key, TBody? body, string op, bool isCandidate, Actor actor, DateTimeOffset now)
    {
        if (Latest(proposal, key) is not { Live: not null } head)
        {
            return new DocumentDecision<TBody>(Kind.NotFound(key));
        }

        var version = Next(head, op, body, actor, now, out var first, out var trimmedFrom);
        proposal.Add(Write(key, version, first, trimmedFrom, current: head.Current, candidate: isCandidate ? version : null));
        return new DocumentDecision<TBody>(Written: version);
    }

    /// <summary>The document as a write decided into <paramref name="proposal"/> builds on it, pending versions included.</summary>
    public DocumentHead<TBody>? Head(Proposal proposal, TKey key) => Latest(proposal, key);

    /// <summary>The next version after <paramref name="head"/>, and the history count retention keeps with it.</summary>
    private DocumentVersion<TBody> Next(
        DocumentHead<TBody>? head, string op, TBody? body, Actor actor, DateTimeOffset now, out long first, out long trimmedFrom)
    {
        var number = (head?.Last ?? 0) + 1;
        trimmedFrom = head?.FirstVersion ?? 1;
        first = MaxVersions > 0 ? Math.Max(trimmedFrom, number - MaxVersions + 1) : trimmedFrom;
        return new DocumentVersion<TBody>(number, op, body, actor.Name, actor.SourceAddress, now, 0);
    }

    /// <summary>A version: the current one from memory, any other from history.</summary>
    public async Task<Outcome<DocumentVersion<TBody>>> ReadVersionAsync(TKey key, long version, CancellationToken cancellationToken)
    {
        if (Find(key) is not { } head)
        {
            return Kind.NotFound(key);
        }

        var found = Held(head, version) ?? await ReadHistoryAsync(key, version, cancellationToken);
        return found switch
        {
            null => Kind.VersionNotFound(key, version),
            { Deleted: true } => Kind.VersionIsDeletion(key, version),
            _ => found,
        };
    }

    /// <summary>The versions history keeps, newest first, a page at a time; a deleted document keeps its history.</summary>
    public async Task<Outcome<Paged<DocumentVersion<TBody>>>> HistoryAsync(TKey key, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (Find(key) is not { } head)
        {
            return Kind.NotFound(key);
        }

        // Versions run without gaps from FirstVersion to the last, so a page is a range of keys.
        var total = (int)(head.Last - head.FirstVersion + 1);
        var newest = head.Last - ((long)(page - 1) * pageSize);
        var oldest = Math.Max(head.FirstVersion, newest - pageSize + 1);
        var store = newest > oldest || Held(head, newest) is null ? await log.ReadStoreAsync(cancellationToken) : null;
        var items = new List<DocumentVersion<TBody>>();
        for (var version = newest; version >= oldest; version--)
        {
            var found = Held(head, version) ?? Read(store!, key, version);
            if (found is not null)
            {
                items.Add(found);
            }
        }

        return new Paged<DocumentVersion<TBody>>(items, total, page, pageSize);
    }

    /// <summary>A unified diff between two versions (<paramref name="to"/> defaults to the current one); a deletion counts as empty.</summary>
    public async Task<Outcome<string>> DiffAsync(TKey key, long from, long? to, CancellationToken cancellationToken)
    {
        if (Find(key) is not { } head)
        {
            return Kind.NotFound(key);
        }

        var target = to ?? head.Version;
        var older = await TextOfAsync(key, head, from, cancellationToken);
        var newer = await TextOfAsync(key, head, target, cancellationToken);
        if ((older.Failure ?? newer.Failure) is { } failure)
        {
            return failure;
        }

        return UnidiffRenderer.GenerateUnidiff(
            WithoutFinalNewline(older.Value!), WithoutFinalNewline(newer.Value!),
            $"{key.Name}@{from}", $"{key.Name}@{target}", contextLines: DiffContextLines);
    }

    /// <summary>
    /// The body a rollback to <paramref name="version"/> publishes: that version's, read before deciding (history
    /// never changes). Fails when the version is not kept or is a deletion.
    /// </summary>
    public async Task<Outcome<TBody>> RollbackBodyAsync(TKey key, long version, CancellationToken cancellationToken)
    {
        var target = await ReadVersionAsync(key, version, cancellationToken);
        return target.Failure is { } failure ? failure : target.Value!.Body!;
    }

    /// <summary>
    /// The versions of a document older than <paramref name="cutoff"/>, except the current one: what age retention
    /// lets go. Returns the newest such version, or 0.
    /// </summary>
    public async Task<long> AgedThroughAsync(TKey key, DocumentHead<TBody> head, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        if (head.FirstVersion >= head.Version)
        {
            return 0;
        }

        var store = await log.ReadStoreAsync(cancellationToken);
        var through = 0L;
        for (var version = head.FirstVersion; version < head.Version; version++)
        {
            if (Read(store, key, version) is not { } entry || entry.Time >= cutoff)
            {
                break;
            }

            through = version;
        }

        return through;
    }

    /// <summary>
    /// The document as the next version builds on it: as a change the log has taken in but not applied says it is
    /// (read pinned to that change, so the proposal holds only if it does), else as applied.
    /// </summary>
    private DocumentHead<TBody>? Latest(Proposal proposal, TKey key)
    {
        var logKey = Kind.LogKey(key);
        switch (log.Pending(logKey))
        {
            case { Change: DocumentWritten<TKey, TBody> written } pending:
                proposal.ReadPending(logKey, pending.Revision);
                return written.Head(pending.Revision);
            case { Change: DocumentTrimmed<TKey, TBody> trimmed } pending:
                proposal.ReadPending(logKey, pending.Revision);
                return trimmed.Head;
            case { Change: DocumentRemoved<TKey, TBody> } pending:
                proposal.ReadPending(logKey, pending.Revision);
                return null;
            default:
                return Find(key);
        }
    }

    /// <summary>The change that writes a version of this kind (see <see cref="DocumentWritten{TKey, TBody}"/>).</summary>
    protected abstract Change Write(
        TKey key, DocumentVersion<TBody> version, long firstVersion, long trimmedFrom, DocumentVersion<TBody>? current,
        DocumentVersion<TBody>? candidate);

    /// <summary>The change that lets history before <paramref name="head"/>'s first version go.</summary>
    public abstract Change Trim(TKey key, DocumentHead<TBody> head, long trimmedFrom);

    /// <summary>A version was applied (<paramref name="written"/>, which may be a note of history): say so on the feed.</summary>
    protected abstract void Written(TKey key, DocumentHead<TBody> head, DocumentVersion<TBody> written, EventBatch events);

    protected virtual void Loaded(TKey key, DocumentHead<TBody> head)
    {
    }

    protected virtual void Removed(TKey key, long revision, EventBatch events)
    {
    }

    private async Task<DocumentVersion<TBody>?> ReadHistoryAsync(TKey key, long version, CancellationToken cancellationToken) =>
        Read(await log.ReadStoreAsync(cancellationToken), key, version);

    private DocumentVersion<TBody>? Read(IDocumentReader store, TKey key, long version) =>
        store.Get(Kind.HistoryCollection, DocumentKeys.Version(key, version)) is { } document ? Kind.DecodeVersion(document) : null;

    /// <summary>The current version or the candidate, which the head holds in memory; null for any other.</summary>
    private static DocumentVersion<TBody>? Held(DocumentHead<TBody> head, long version) =>
        version == head.Version ? head.Current : head.Candidate is { } candidate && candidate.Version == version ? candidate : null;

    private async Task<Outcome<string>> TextOfAsync(TKey key, DocumentHead<TBody> head, long version, CancellationToken cancellationToken)
    {
        var found = Held(head, version) ?? await ReadHistoryAsync(key, version, cancellationToken);
        return found is null ? Kind.VersionNotFound(key, version) : found.Body is { } body ? Kind.Text(body) : "";
    }

    /// <summary>A final line break ends the last line; it does not start an empty one.</summary>
    private static string WithoutFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
}

/// <summary>
/// What a write decides: a failure, no change (the live version, unchanged), or the version it writes (its change is
/// in the proposal), <see cref="Created"/> when there was no live version before.
/// </summary>
internal readonly record struct DocumentDecision<TBody>(
    Failure? Failure = null, DocumentVersion<TBody>? Unchanged = null, DocumentVersion<TBody>? Written = null, bool Created = false)
    where TBody : class;

/// <summary>What a version of a document did: the <c>op</c> of history (the same names as config's).</summary>
internal static class DocumentOps
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Rollback = "rollback";
    public const string Delete = "delete";
}
