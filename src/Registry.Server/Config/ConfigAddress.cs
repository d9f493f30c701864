using FluentValidation;
using FluentValidation.Results;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>A message that carries content to store under a config item.</summary>
internal interface IConfigContent : IConfigAddress
{
    string Content { get; }
    string Format { get; }
}

/// <summary>A message that addresses one config item.</summary>
internal interface IConfigAddress
{
    string Namespace { get; }
    string Group { get; }
    string DataId { get; }
}

internal static class ConfigAddressRules
{
    /// <summary>A data id that is a route of its own (<c>GET /v1/configs/watch</c>) and so cannot name an item.</summary>
    public const string ReservedDataId = "watch";

    public static ConfigKey ConfigKey(this IConfigAddress address) => new(address.Namespace, address.Group, address.DataId);

    public static void ValidateConfigAddress<T>(this AbstractValidator<T> validator) where T : IConfigAddress
    {
        validator.RuleFor(m => m.Namespace).ValidName(NameRules.NamespaceMaxLength);
        validator.RuleFor(m => m.Group).ValidName(NameRules.GroupMaxLength);
        validator.RuleFor(m => m.DataId).ValidName(NameRules.DataIdMaxLength)
            .NotEqual(ReservedDataId).WithMessage($"'{{PropertyName}}' cannot be '{ReservedDataId}': that path watches configs.");
    }

    /// <summary>One of the formats the registry knows (text, json, yaml, properties, xml), in any case.</summary>
    public static IRuleBuilderOptions<T, string?> KnownFormat<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ConfigFormat.IsKnown).WithMessage($"'{{PropertyName}}' must be one of {string.Join(", ", ConfigFormat.Names)}.");

    /// <summary>A known format, and content valid for it (a failure carries its line and column where the format has them).</summary>
    public static void ValidateConfigContent<T>(this AbstractValidator<T> validator) where T : IConfigContent
    {
        validator.RuleFor(c => c.Format).KnownFormat();
        validator.RuleFor(c => c.Content).ValidIn(c => c.Format);
    }

    /// <summary>
    /// Content valid for the format <paramref name="formatOf"/> gives it, when that is a known one (its own rule says
    /// so); a failure names <c>content</c> and carries its line and column where the format has them.
    /// </summary>
    public static IRuleBuilderOptionsConditions<T, string?> ValidIn<T>(this IRuleBuilder<T, string?> rule, Func<T, string?> formatOf) =>
        rule.Custom((content, context) =>
        {
            var format = formatOf(context.InstanceToValidate);
            if (content is not null && ConfigFormat.IsKnown(format) && ConfigFormat.Validate(format!, content) is { } error)
            {
                context.AddFailure(new ValidationFailure("content", error.Message) { CustomState = error });
            }
        });
}
