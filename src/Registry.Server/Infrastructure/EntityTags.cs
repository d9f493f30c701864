using System.Globalization;
using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Versions as entity tags: <c>ETag: "3"</c>; <c>If-Match</c> / <c>If-None-Match</c> take a list of tags
/// (weak ones too) or <c>*</c> for "any version".
/// </summary>
internal static class EntityTags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static bool IsValid(string? header) => header is null || TryParse(header, out _);

    /// <summary>The value of a conditional header (<paramref name="header"/>, which the error names).</summary>
    public static IRuleBuilderOptions<T, string?> ValidEntityTag<T>(this IRuleBuilder<T, string?> rule, string header) =>
        rule.Must(IsValid)
            .WithMessage($"'{header}' must be '*' or a list of versions as entity tags, e.g. \"3\".")
            .OverridePropertyName(header);

    /// <summary>
    /// Whether a write's preconditions fail against the live version (null when absent or deleted): <c>If-Match</c>
    /// must match it, <c>If-None-Match</c> must not (<c>*</c>: create only).
    /// </summary>
    public static bool PreconditionFails(string? ifMatch, string? ifNoneMatch, long? liveVersion) =>
        ifMatch is not null && !Matches(ifMatch, liveVersion)
        || ifNoneMatch is not null && Matches(ifNoneMatch, liveVersion);

    /// <summary>True when the condition in <paramref name="header"/> holds for <paramref name="version"/> (null: absent).</summary>
    public static bool Matches(string header, long? version) =>
        TryParse(header, out var condition) && version is { } v && (condition.Any || condition.Versions.Contains(v));

    private static bool TryParse(string header, out (bool Any, List<long> Versions) condition)
    {
        condition = (false, []);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "*")
            {
                condition.Any = true;
                continue;
            }

            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"')
            {
                tag = tag[1..^1];
            }

            if (!long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }

            condition.Versions.Add(version);
        }

        return condition.Any || condition.Versions.Count > 0;
    }
}
