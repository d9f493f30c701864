using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>Who made a change and from where, as history records it.</summary>
internal sealed record Actor(string Name, string SourceAddress)
{
    public const string Anonymous = "anonymous";
}

internal static class Actors
{
    /// <summary>The header that names the author of a change (until tokens do).</summary>
    public const string UserHeader = "X-Registry-User";

    public const int MaxNameLength = 128;

    /// <summary>Marks an endpoint whose change records its author: its documentation offers the user header.</summary>
    public static RouteHandlerBuilder RecordsAuthor(this RouteHandlerBuilder builder) => builder.WithMetadata(AuthorMetadata.Instance);

    /// <summary>The author recorded in history: printable, at most 128 characters.</summary>
    public static IRuleBuilderOptions<T, Actor> ValidActor<T>(this IRuleBuilder<T, Actor> rule) =>
        rule.Must(actor => actor.Name.Length is > 0 and <= MaxNameLength && !actor.Name.Any(char.IsControl))
            .WithMessage($"The author ({UserHeader}) must be 1 to {MaxNameLength} printable characters.")
            .OverridePropertyName(UserHeader);
}

internal static class RequestHeaders
{
    /// <summary>A header's value (several joined by commas), or null when absent.</summary>
    public static string? Get(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;
}
