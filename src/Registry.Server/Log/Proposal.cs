using Registry.Server.Infrastructure;

namespace Registry.Server.Log;

/// <summary>
/// Where a decision read the state: every entry up to <see cref="Revision"/> was applied. A proposal made at this
/// point holds only if nothing it read or writes changed after it.
/// </summary>
/// <param name="Epoch">Moves when the log fails a batch, so a decision from before the failure is decided again.</param>
internal readonly record struct ReadPoint(long Revision, long Epoch);

/// <summary>
/// What a use case decided to append: typed changes, the keys it read besides those it writes (its preconditions:
/// none of them may have changed after the revision it read them at) and the audit notes that record it.
/// </summary>
internal sealed class Proposal(ReadPoint at)
{
    private readonly List<Change> _changes = [];
    private readonly List<(string Key, long Revision)> _reads = [];
    private readonly List<AuditNote> _audit = [];
    private Action? _accepted;
    private string?[]? _writtenKeys;

    public ReadPoint At { get; } = at;

    public IReadOnlyList<Change> Changes => _changes;

    /// <summary>The keys read, each with the revision it was read at: the read point, or a pending change's.</summary>
    public IReadOnlyList<(string Key, long Revision)> Reads => _reads;

    public IReadOnlyList<AuditNote> Audit => _audit;

    /// <summary>The key each change writes (null for one without), in the order of <see cref="Changes"/>; built once.</summary>
    public IReadOnlyList<string?> WrittenKeys => _writtenKeys ??= [.. _changes.Select(static change => change.Key())];

    /// <summary>The revision <paramref name="key"/> was read at: the read point unless it was read as a pending change.</summary>
    public long ReadRevision(string key)
    {
        foreach (var (read, revision) in _reads)
        {
            if (read == key)
            {
                return revision;
            }
        }

        return At.Revision;
    }

    /// <summary>
    /// States that the decision read <paramref name="key"/> as a change the log accepted at <paramref name="revision"/>
    /// but has not applied yet: it holds only if that change does, and nothing came after it.
    /// </summary>
    public Proposal ReadPending(string key, long revision)
    {
        _reads.Add((key, revision));
        return this;
    }

    /// <summary>Runs once the log has taken the proposal in (numbered it) or turned it away, before it is durable.</summary>
    public Proposal OnAccepted(Action accepted)
    {
        _accepted += accepted;
        return this;
    }

    internal void Accepted() => Interlocked.Exchange(ref _accepted, null)?.Invoke();

    public Proposal Add(Change change)
    {
        _changes.Add(change);
        return this;
    }

    /// <summary>States that the decision depends on <paramref name="key"/> (a namespace that must exist, a scope that must stay empty).</summary>
    public Proposal Read(string key)
    {
        _reads.Add((key, At.Revision));
        return this;
    }

    public Proposal Audited(AuditNote note)
    {
        _audit.Add(note);
        return this;
    }

    /// <summary>The decision to append this, and what the use case answers once it is durable and applied at a revision.</summary>
    public Decision<T> Then<T>(Func<long, T> complete) => new(this, complete);
}

/// <summary>
/// A use case's decision: a failure, a result that needs no change, or a proposal to append with the result it
/// gives once applied.
/// </summary>
internal readonly struct Decision<T>
{
    internal Decision(Proposal proposal, Func<long, T> complete)
    {
        Proposal = proposal;
        Complete = complete;
    }

    private Decision(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public Proposal? Proposal { get; }

    public Func<long, T>? Complete { get; }

    public static implicit operator Decision<T>(T value) => new(value, null);

    public static implicit operator Decision<T>(Failure failure) => new(default, failure);
}
