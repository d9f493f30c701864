using System.Buffers;
using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>
/// The one rule set for names in the registry: namespaces, groups, services, clusters (and config data
/// ids) use letters, digits and <c>. _ - :</c> only, within a length limit per kind.
/// </summary>
internal static class NameRules
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
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && HasNameCharacters(name);

    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotEmpty()
            .MaximumLength(maxLength)
            .Must(HasNameCharacters).WithMessage($"'{{PropertyName}}' may contain only {Characters}.");

    /// <summary>A group name, or <c>*</c> for every group.</summary>
    public static IRuleBuilderOptions<T, string?> ValidGroupOrAny<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .Must(group => group == AnyGroup || IsValid(group, GroupMaxLength))
            .WithMessage($"'{{PropertyName}}' must be a group name ({Characters}, at most {GroupMaxLength}) or '{AnyGroup}' for every group.");

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Only name characters (an empty name passes here; the length rules catch it).</summary>
    private static bool HasNameCharacters(string? name) => name is null || !name.AsSpan().ContainsAnyExcept(NameCharacters);
}
