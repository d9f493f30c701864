namespace Registry.Server.Log;

/// <summary>
/// One typed change to the registry's state, as a use case decides it. The log makes it durable in an entry that
/// takes a revision; the projections apply it; the snapshot store materializes it. It is immutable and carries the
/// whole new state of what it changes, never a delta, so it reads the same in the log of another process.
/// </summary>
internal abstract record Change
{
    /// <summary>
    /// The state key it writes (<c>instances/ns/group/service/id</c>): a use case's preconditions are about keys,
    /// and two changes of one key conflict. Null for a change that only adds (an audit trim names no key).
    /// </summary>
    /// <remarks>Methods, not properties: they are derived from the change and must not be serialized with it.</remarks>
    public abstract string? Key();

    /// <summary>
    /// Keys of the collections it changes besides its own key (the instances of a service, the content of a
    /// namespace): a use case that decided on a whole collection (delete it while empty) reads its scope key.
    /// </summary>
    public virtual IEnumerable<string> Scopes() => [];

    /// <summary>The documents it sets or removes in the snapshot store, written as of <paramref name="revision"/>.</summary>
    public abstract void Materialize(IDocumentWriter writer, long revision);

    /// <summary>
    /// The documents it sets or removes in a store that takes every change on its own and no snapshot of the
    /// projections (the cluster store): what <see cref="Materialize"/> writes, and for a change of a snapshotted
    /// projection its own document too.
    /// </summary>
    public virtual void MaterializeAlone(IDocumentWriter writer, long revision) => Materialize(writer, revision);
}

/// <summary>One durable entry of the log: the changes a use case appended together, under one revision.</summary>
internal sealed record LogEntry(long Revision, IReadOnlyList<Change> Changes, IReadOnlyList<AuditNote> Audit);
