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
    private readonly List<PendingEvent> _events = [];
    private long _committedRevision = revision;

    /// <summary>The last revision taken, committed or not.</summary>
    public long Revision { get; private set; } = revision;

    internal bool IsEmpty => Revision == _committedRevision && _writes.Count == 0;

    public long NextRevision() => ++Revision;

    public void Put<T>(StoreCollection<T> collection, string key, T document) =>
        _writes.Add(new StoreWrite(collection.Name, key, collection.Serialize(document)));

    /// <summary>Writes a document whose key does not exist yet (a new instance, a new history version).</summary>
    public void Create<T>(StoreCollection<T> collection, string key, T document) =>
        _writes.Add(new StoreWrite(collection.Name, key, collection.Serialize(document), Created: true));

    public void Delete<T>(StoreCollection<T> collection, string key) =>
        _writes.Add(new StoreWrite(collection.Name, key, null));

    /// <summary>Restores memory if the batch cannot be made durable; undo actions run newest first.</summary>
    public void OnRollback(Action undo) => _undo.Add(undo);

    /// <summary>Runs once the batch is durable (logging).</summary>
    public void OnCommitted(Action action) => _committed.Add(action);

    /// <summary>Publishes a change on the feed once the batch is durable; events go out in revision order.</summary>
    public void Emit(ChangeEvent change) => _events.Add(new PendingEvent(change.Topic, change.Type, change.Revision, change, null));

    /// <summary>
    /// Publishes the state of a topic as of the end of the batch: built once the batch is durable, and only
    /// once however many changes the batch made to the topic (the latest revision stands for them all).
    /// </summary>
    public void EmitLatest(EventTopic topic, string type, long revision, Func<long, ChangeEvent> build) =>
        _events.Add(new PendingEvent(topic, type, revision, null, build));

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
        var latest = new Dictionary<(EventTopic, string), int>();
        for (var i = 0; i < _events.Count; i++)
        {
            if (_events[i].Build is not null)
            {
                latest[(_events[i].Topic, _events[i].Type)] = i;
            }
        }

        var events = _events
            .Where((pending, i) => pending.Ready is not null || latest[(pending.Topic, pending.Type)] == i)
            .Select(pending => pending.Ready ?? pending.Build!(pending.Revision))
            .OrderBy(change => change.Revision)
            .ToArray();
        var done = (_committed.ToArray(), events);
        _writes.Clear();
        _undo.Clear();
        _committed.Clear();
        _events.Clear();
        _committedRevision = Revision;
        return done;
    }

    internal readonly record struct Mark(int Writes, int Undo, int Committed, int Events, long Revision);

    private sealed record PendingEvent(EventTopic Topic, string Type, long Revision, ChangeEvent? Ready, Func<long, ChangeEvent>? Build);
}
