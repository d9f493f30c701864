using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>A Eureka renewal: the native heartbeat of the instance with that Eureka id; 404 makes the client register again.</summary>
internal sealed record RenewEurekaLeaseCommand(string AppId, string InstanceId) : ICommand<Outcome<bool>>;

internal sealed class RenewEurekaLeaseValidator : AbstractValidator<RenewEurekaLeaseCommand>
{
    public RenewEurekaLeaseValidator() =>
        RuleFor(c => c.InstanceId).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
}

internal sealed class RenewEurekaLeaseHandler(IMediator mediator, EurekaInstanceIndex index) : ICommandHandler<RenewEurekaLeaseCommand, Outcome<bool>>
{
    public async ValueTask<Outcome<bool>> Handle(RenewEurekaLeaseCommand command, CancellationToken cancellationToken)
    {
        if (await mediator.FindEurekaInstanceAsync(index, command.AppId, command.InstanceId, cancellationToken) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(EurekaDirectory.ServiceKey(command.AppId), command.InstanceId);
        }

        var beat = await mediator.Send(
            new HeartbeatCommand(instance.Namespace, instance.Group, instance.Service, instance.Id), cancellationToken);
        return beat.Failure is { } failure ? failure : true;
    }
}
