namespace Registry.Contracts;

/// <summary>One page of a listing. <see cref="Page"/> is 1-based.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
