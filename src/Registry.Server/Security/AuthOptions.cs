using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>Authentication and authorization (section <c>Registry:Auth</c>).</summary>
internal sealed class AuthOptions
{
    public const string Section = "Registry:Auth";

    /// <summary>When off (the default) every request is allowed, and the server may listen on loopback only.</summary>
    public bool Enabled { get; set; }

    /// <summary>Lets a server without auth listen beyond loopback; logged as a warning at every start.</summary>
    public bool AllowAnonymousOnNetwork { get; set; }

    /// <summary>Tokens defined in configuration, by the SHA-256 of their secret (<c>hash-token</c> makes one).</summary>
    public List<ConfiguredToken> Tokens { get; set; } = [];
}

internal sealed class ConfiguredToken
{
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string Hash { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>The namespaces the token may act in; <c>*</c> for all. Left out: all.</summary>
    /// <remarks>No default items: configuration binding would add to them rather than replace them.</remarks>
    public List<string> Namespaces { get; set; } = [];
}

internal sealed class AuthOptionsValidator : AbstractValidator<AuthOptions>
{
    public AuthOptionsValidator()
    {
        RuleForEach(o => o.Tokens).ChildRules(token =>
        {
            token.RuleFor(t => t.Name).ValidTokenName();
            token.RuleFor(t => t.Hash).Matches("^[0-9a-f]{64}$")
                .WithMessage("'{PropertyName}' must be the lower-case hex SHA-256 of the token (see the hash-token command).");
            token.RuleFor(t => t.Roles).ValidRoles();
            token.RuleFor(t => t.Namespaces).ValidTokenNamespaces().When(t => t.Namespaces.Count > 0);
        });
        RuleFor(o => o.Tokens).Must(tokens => tokens.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() == tokens.Count)
            .WithMessage("Token names must be unique.");
    }
}

internal static partial class TokenRules
{
    public const string AllNamespaces = "*";
    public const int MaxNameLength = 64;

    public static IRuleBuilderOptions<T, string?> ValidTokenName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(MaxNameLength).Matches(NamePattern())
            .WithMessage("'{PropertyName}' may contain only letters, digits and . _ - @.");

    public static IRuleBuilderOptions<T, List<string>> ValidRoles<T>(this IRuleBuilder<T, List<string>> rule) =>
        rule.NotEmpty().WithMessage($"'{{PropertyName}}' must name at least one of {string.Join(", ", Roles.All)}.")
            .Must(roles => roles.All(Roles.IsKnown))
            .WithMessage($"'{{PropertyName}}' may only hold {string.Join(", ", Roles.All)}.");

    public static IRuleBuilderOptions<T, List<string>> ValidTokenNamespaces<T>(this IRuleBuilder<T, List<string>> rule) =>
        rule.NotEmpty()
            .Must(namespaces => namespaces.All(ns => ns == AllNamespaces || NameRules.IsValid(ns, NameRules.NamespaceMaxLength)))
            .WithMessage($"'{{PropertyName}}' must hold namespace names, or '{AllNamespaces}' for all.");

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._@-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NamePattern();
}
