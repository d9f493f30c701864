namespace Registry.Server.Log;

/// <summary>
/// The one seam of the server: every change goes through it. A proposal is appended, made durable and given a
/// revision, then applied to the projections (in revision order, by the <see cref="ILogSink"/> given at open) and
/// only then acknowledged. Implementations: the local journal with a LiteDB snapshot; a cluster store.
/// </summary>
internal interface IChangeLog
{
    /// <summary>The last revision applied to the projections: what readers see.</summary>
    long Revision { get; }

    /// <summary>Where a decision reads from now.</summary>
    ReadPoint ReadPoint { get; }

    /// <summary>Whether a write can be made durable now, and why not.</summary>
    LogHealth Health { get; }

    /// <summary>
    /// Builds the projections from the snapshot and whatever the log holds after it, then starts applying new
    /// entries to <paramref name="sink"/>. Called once, before anything reads or writes.
    /// </summary>
    Task OpenAsync(ILogSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a proposal and completes once it is durable and applied, with its revision; or at once with a
    /// <see cref="Appended.Conflict"/> when something it read or writes changed after its read point. Throws
    /// <see cref="Infrastructure.StoreUnavailableException"/> when it cannot be made durable (nothing of it applies).
    /// </summary>
    Task<Appended> AppendAsync(Proposal proposal, CancellationToken cancellationToken);

    /// <summary>
    /// The latest change to <paramref name="key"/> that the log took in but has not applied yet, for a decision that
    /// builds on it (a hot config key takes many versions per disk write); readers never see it. Null when none is
    /// on its way, or when the log decides each change on applied state alone.
    /// </summary>
    PendingChange? Pending(string key);

    /// <summary>Completes once <paramref name="revision"/> is applied (or the log has moved past a failed one).</summary>
    Task WaitForAsync(long revision, CancellationToken cancellationToken);

    /// <summary>
    /// The snapshot store caught up with every applied entry, for what only it holds (history, audit). Throws
    /// <see cref="Infrastructure.StoreUnavailableException"/> while it cannot catch up (a full disk).
    /// </summary>
    Task<IDocumentReader> ReadStoreAsync(CancellationToken cancellationToken);

    /// <summary>Writes a consistent copy of everything applied to a file the caller streams and deletes.</summary>
    Task<Backup> BackupAsync(CancellationToken cancellationToken);

    /// <summary>Checks now whether the storage takes writes (probes the disk); null when it does, else why not.</summary>
    string? Probe();
}

/// <summary>Where the log delivers what it holds: the projections.</summary>
internal interface ILogSink
{
    /// <summary>Builds state from the snapshot store at <paramref name="revision"/>, before any entry is applied.</summary>
    void Load(IDocumentReader snapshot, long revision);

    /// <summary>Applies durable entries, in revision order; never called concurrently.</summary>
    void Apply(IReadOnlyList<LogEntry> entries);

    /// <summary>
    /// Takes, between two applies, the state of the projections that the snapshot store holds whole rather than change
    /// by change (the naming tree): what changed since the last capture, or everything when <paramref name="full"/>.
    /// </summary>
    SnapshotCapture Capture(bool full);
}

/// <summary>Projection state as of <see cref="Revision"/>, and what writes it into the snapshot store.</summary>
internal sealed record SnapshotCapture(long Revision, Action<IDocumentWriter> Write);

/// <summary>A change the log took in at a revision and has not applied yet.</summary>
internal sealed record PendingChange(long Revision, Change Change);

/// <summary>The result of an append: the revision it took, or the later revision of a key it depended on.</summary>
internal readonly record struct Appended(long Revision, long? Conflict = null);

/// <summary>Whether the log takes writes, why not, and how far it is.</summary>
/// <param name="Stale">Reads may be behind what the log holds: this node lost the store the other nodes write to.</param>
internal sealed record LogHealth(bool CanWrite, string? Problem, long Revision, bool LastWriteFailed, bool Stale = false);

/// <summary>A backup file at a revision; delete it once it is sent.</summary>
internal sealed record Backup(string Path, long Revision, long Bytes);
