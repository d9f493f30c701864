using System.Globalization;
using FluentValidation;

namespace Registry.Server.Events;

/// <summary>Where a watch resumes: the <c>Last-Event-ID</c> header, else the <c>lastEventId</c> query parameter.</summary>
internal static class LastEventIds
{
    public const string Header = "Last-Event-ID";

    public static long? Parse(string? value) =>
        value is null ? null : long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);

    public static IRuleBuilderOptions<T, string?> ValidLastEventId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .WithMessage($"The resume point ('{Header}' header or 'lastEventId' parameter) must be the revision (id) of the last event received: a non-negative integer.")
            .OverridePropertyName(Header);
}
