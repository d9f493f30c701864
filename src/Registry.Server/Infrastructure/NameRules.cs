using System.Text.RegularExpressions;
using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>
/// The one rule set for names in the registry: namespaces, groups, services, clusters (and config data
/// ids) use letters, digits and <c>. _ - :</c> only, within a length limit per kind.
/// </summary>
internal static partial class NameRules
{
    public const string DefaultNamespace = "public";
    public const string DefaultGroup = "DEFAULT_GROUP";
    public const string DefaultCluster = "DEFAULT";

    public const int NamespaceMaxLength = 64;
    public const int GroupMaxLength = 128;
    public const int ServiceMaxLength = 256;
    public const int ClusterMaxLength = 64;
    public const int DataIdMaxLength = 256;

    /// <summary>Stands for every group where a listing or a watch allows it.</summary>
    public const string AnyGroup = "*";

    public const string Characters = "letters, digits and . _ - :";

    public static bool IsValid(string? name, int maxLength) =>
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && NamePattern().IsMatch(name);

    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotEmpty()
            .MaximumLength(maxLength)
            .Matches(NamePattern()).WithMessage($"'{{PropertyName}}' may contain only {Characters}.");

    /// <summary>A group name, or <c>*</c> for every group.</summary>
    public static IRuleBuilderOptions<T, string?> ValidGroupOrAny<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .Must(group => group == AnyGroup || IsValid(group, GroupMaxLength))
            .WithMessage($"'{{PropertyName}}' must be a group name ({Characters}, at most {GroupMaxLength}) or '{AnyGroup}' for every group.");

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
