using Registry.Server.Events;

namespace Registry.Server.Storage;

/// <summary>
/// The open group commit, as seen by the mutations running in it on the writer loop: they take revisions,
/// record the documents to persist, and register how to undo their change to memory should the batch fail.
/// </summary>
internal sealed class ChangeSet(long revision)
{
    private readonly List<StoreWrite> _writes = [];
    private readonly List<Action> _undo = [];
    private readonly List<Action> _committed = [];
    private readonly List<ChangeEvent> _events = [];
    private long _committedRevision = revision;

    /// <summary>The last revision taken, committed or not.</summary>
    public long Revision { get; private set; } = revision;

    internal bool IsEmpty => Revision == _committedRevision && _writes.Count == 0;

    public long NextRevision() => ++Revision;

    public void Put<T>(StoreCollection<T> collection, string key, T document) =>
        _writes.Add(new StoreWrite(collection.Name, key, collection.Serialize(document)));

    public void Delete<T>(StoreCollection<T> collection, string key) =>
        _writes.Add(new StoreWrite(collection.Name, key, null));

    /// <summary>Restores memory if the batch cannot be made durable; undo actions run newest first.</summary>
    public void OnRollback(Action undo) => _undo.Add(undo);

    /// <summary>Runs once the batch is durable (logging).</summary>
    public void OnCommitted(Action action) => _committed.Add(action);

    /// <summary>Publishes a change on the feed once the batch is durable; events go out in revision order.</summary>
    public void Emit(ChangeEvent change) => _events.Add(change);

    internal Mark Save() => new(_writes.Count, _undo.Count, _committed.Count, _events.Count, Revision);

    internal void RollbackTo(Mark mark)
    {
        for (var i = _undo.Count - 1; i >= mark.Undo; i--)
        {
            _undo[i]();
        }

        _undo.RemoveRange(mark.Undo, _undo.Count - mark.Undo);
        _writes.RemoveRange(mark.Writes, _writes.Count - mark.Writes);
        _committed.RemoveRange(mark.Committed, _committed.Count - mark.Committed);
        _events.RemoveRange(mark.Events, _events.Count - mark.Events);
        Revision = mark.Revision;
    }

    internal void RollbackAll() => RollbackTo(new Mark(0, 0, 0, 0, _committedRevision));

    internal StoreBatch ToBatch() => new(Revision, [.. _writes]);

    /// <summary>Closes the batch as durable and hands back what should happen now that it is.</summary>
    internal (Action[] Committed, ChangeEvent[] Events) Complete()
    {
        var done = (_committed.ToArray(), _events.ToArray());
        _writes.Clear();
        _undo.Clear();
        _committed.Clear();
        _events.Clear();
        _committedRevision = Revision;
        return done;
    }

    internal readonly record struct Mark(int Writes, int Undo, int Committed, int Events, long Revision);
}
