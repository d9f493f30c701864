using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>A Eureka cancel: the native deregistration of the instance with that Eureka id.</summary>
internal sealed record CancelEurekaLeaseCommand(string AppId, string InstanceId) : ICommand<Outcome<long>>;

internal sealed class CancelEurekaLeaseValidator : AbstractValidator<CancelEurekaLeaseCommand>
{
    public CancelEurekaLeaseValidator() =>
        RuleFor(c => c.InstanceId).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
}

internal sealed class CancelEurekaLeaseHandler(IMediator mediator, EurekaInstanceIndex index) : ICommandHandler<CancelEurekaLeaseCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(CancelEurekaLeaseCommand command, CancellationToken cancellationToken) =>
        await mediator.FindEurekaInstanceAsync(index, command.AppId, command.InstanceId, cancellationToken) is { } instance
            ? await mediator.Send(
                new DeregisterInstanceCommand(instance.Namespace, instance.Group, instance.Service, instance.Id), cancellationToken)
            : NamingFailures.InstanceNotFound(EurekaDirectory.ServiceKey(command.AppId), command.InstanceId);
}
