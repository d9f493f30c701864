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
/// none of them may have changed after its read point) and the audit notes that record it.
/// </summary>
internal sealed class Proposal(ReadPoint at)
{
    private readonly List<Change> _changes = [];
    private readonly List<string> _reads = [];
    private readonly List<AuditNote> _audit = [];

    public ReadPoint At { get; } = at;

    public IReadOnlyList<Change> Changes => _changes;

    public IReadOnlyList<string> Reads => _reads;

    public IReadOnlyList<AuditNote> Audit => _audit;

    public Proposal Add(Change change)
    {
        _changes.Add(change);
        return this;
    }

    /// <summary>States that the decision depends on <paramref name="key"/> (a namespace that must exist, a scope that must stay empty).</summary>
    public Proposal Read(string key)
    {
        _reads.Add(key);
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
