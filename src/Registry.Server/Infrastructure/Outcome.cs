namespace Registry.Server.Infrastructure;

/// <summary>
/// An expected way for a use case to not succeed (not found, conflict, precondition failed): a value,
/// not an exception. Endpoints turn it into an <c>application/problem+json</c> response.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">A stable, machine-readable reason, e.g. <c>instance-not-found</c>.</param>
/// <param name="Title">A short, human-readable summary that does not change from case to case.</param>
/// <param name="Detail">What happened in this case.</param>
/// <param name="Extensions">Further machine-readable members of the problem, e.g. the current version.</param>
internal sealed record Failure(
    int Status, string Code, string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>A use case's result: a value or a <see cref="Failure"/>.</summary>
internal readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
