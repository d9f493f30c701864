using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>A message that addresses one service of the tree.</summary>
internal interface IServiceAddress
{
    string Namespace { get; }
    string Group { get; }
    string Service { get; }
}

internal static class ServiceAddressRules
{
    /// <summary>A service name that is a route of its own (<c>GET /v1/services/watch</c>) and so cannot name a service.</summary>
    public const string ReservedName = "watch";

    public static ServiceKey ServiceKey(this IServiceAddress address) =>
        new(address.Namespace, address.Group, address.Service);

    /// <summary>Adds the name rules of namespace, group and service to a validator.</summary>
    public static void ValidateServiceAddress<T>(this AbstractValidator<T> validator) where T : IServiceAddress
    {
        validator.RuleFor(m => m.Namespace).ValidName(NameRules.NamespaceMaxLength);
        validator.RuleFor(m => m.Group).ValidName(NameRules.GroupMaxLength);
        validator.RuleFor(m => m.Service).ValidName(NameRules.ServiceMaxLength)
            .NotEqual(ReservedName).WithMessage($"'{{PropertyName}}' cannot be '{ReservedName}': that path watches services.");
    }
}
