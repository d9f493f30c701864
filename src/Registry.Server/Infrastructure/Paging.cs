using FluentValidation;
using Registry.Contracts;

namespace Registry.Server.Infrastructure;

/// <summary>Paging and search of listings: <c>page</c> is 1-based, <c>pageSize</c> 1..1000 (default 100).</summary>
internal interface IPagedQuery
{
    int Page { get; }
    int PageSize { get; }
    string? Search { get; }
}

internal static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int MaxSearchLength = 256;

    public static void ValidatePaging<T>(this AbstractValidator<T> validator) where T : IPagedQuery
    {
        validator.RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
        validator.RuleFor(q => q.Search).MaximumLength(MaxSearchLength);
    }

    public static bool Matches(this IPagedQuery query, string value) =>
        string.IsNullOrEmpty(query.Search) || value.Contains(query.Search, StringComparison.OrdinalIgnoreCase);

    /// <summary>Cuts one page out of <paramref name="items"/>, which must already be filtered and ordered.</summary>
    public static Paged<TOut> ToPage<TIn, TOut>(this IReadOnlyList<TIn> items, IPagedQuery query, Func<TIn, TOut> map) =>
        items.ToPage(query.Page, query.PageSize, map);

    public static Paged<TOut> ToPage<TIn, TOut>(this IReadOnlyList<TIn> items, int page, int pageSize, Func<TIn, TOut> map) =>
        new([.. items.Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize).Select(map)],
            items.Count, page, pageSize);
}
