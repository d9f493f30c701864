using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// Sets (<paramref name="Value"/>) or removes (null) an admin's status override: kept in the instance's
/// metadata, and applied as the native <c>enabled</c> flag (routable only when the result is UP), through
/// the native admin patch.
/// </summary>
internal sealed record OverrideEurekaStatusCommand(string AppId, string InstanceId, string? Value, Actor Actor)
    : ICommand<Outcome<InstanceInfo>>;

internal sealed class OverrideEurekaStatusValidator : AbstractValidator<OverrideEurekaStatusCommand>
{
    public OverrideEurekaStatusValidator()
    {
        RuleFor(c => c.InstanceId).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
        RuleFor(c => c.Value).Must(v => v is null || EurekaMapping.Statuses.Contains(v))
            .WithMessage($"'value' must be one of {string.Join(", ", EurekaMapping.Statuses)}.").OverridePropertyName("value");
    }
}

internal sealed class OverrideEurekaStatusHandler(IMediator mediator, EurekaInstanceIndex index)
    : ICommandHandler<OverrideEurekaStatusCommand, Outcome<InstanceInfo>>
{
    public async ValueTask<Outcome<InstanceInfo>> Handle(OverrideEurekaStatusCommand command, CancellationToken cancellationToken)
    {
        if (await mediator.FindEurekaInstanceAsync(index, command.AppId, command.InstanceId, cancellationToken) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(EurekaDirectory.ServiceKey(command.AppId), command.InstanceId);
        }

        var metadata = new Dictionary<string, string>(instance.Metadata, StringComparer.Ordinal);
        if (command.Value is { } value)
        {
            metadata[EurekaMapping.OverriddenStatusKey] = value;
        }
        else
        {
            metadata.Remove(EurekaMapping.OverriddenStatusKey);
        }

        var status = EurekaMapping.DeclaredStatus(
            metadata.GetValueOrDefault(EurekaMapping.StatusKey), metadata.GetValueOrDefault(EurekaMapping.OverriddenStatusKey));
        return await mediator.Send(new PatchInstanceCommand(
            instance.Namespace, instance.Group, instance.Service, instance.Id,
            Enabled: status == EurekaMapping.Up, Weight: null, Healthy: null, metadata, command.Actor), cancellationToken);
    }
}
