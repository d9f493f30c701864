using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>Adds or replaces metadata entries of an instance (<c>?key=value</c>), through the native admin patch.</summary>
internal sealed record PutEurekaMetadataCommand(string AppId, string InstanceId, IReadOnlyDictionary<string, string> Entries, Actor Actor)
    : ICommand<Outcome<InstanceInfo>>;

internal sealed class PutEurekaMetadataValidator : AbstractValidator<PutEurekaMetadataCommand>
{
    public PutEurekaMetadataValidator()
    {
        RuleFor(c => c.InstanceId).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
        RuleForEach(c => c.Entries.Keys)
            .Must(key => key.Length > 0 && !key.StartsWith(EurekaMapping.Prefix, StringComparison.Ordinal))
            .WithMessage($"Metadata keys must not be empty or start with '{EurekaMapping.Prefix}'.").OverridePropertyName("metadata");
    }
}

internal sealed class PutEurekaMetadataHandler(IMediator mediator, EurekaInstanceIndex index) : ICommandHandler<PutEurekaMetadataCommand, Outcome<InstanceInfo>>
{
    public async ValueTask<Outcome<InstanceInfo>> Handle(PutEurekaMetadataCommand command, CancellationToken cancellationToken)
    {
        if (await mediator.FindEurekaInstanceAsync(index, command.AppId, command.InstanceId, cancellationToken) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(EurekaDirectory.ServiceKey(command.AppId), command.InstanceId);
        }

        var metadata = new Dictionary<string, string>(instance.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in command.Entries)
        {
            metadata[key] = value;
        }

        return await mediator.Send(new PatchInstanceCommand(
            instance.Namespace, instance.Group, instance.Service, instance.Id,
            Enabled: null, Weight: null, Healthy: null, metadata, command.Actor), cancellationToken);
    }
}
