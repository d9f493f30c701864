using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// Writes the next version of a service's metadata document (creating the service if need be). Every write
/// is a version, even of an unchanged document: the history is the record of what admins saved, and a
/// compare-and-set with the current ETag always moves the version on. <c>If-Match</c> makes it a CAS.
/// Decided as <see cref="MetadataSaves"/> decides every save.
/// </summary>
internal sealed record PutServiceMetadataCommand(
    string Namespace,
    string Group,
    string Service,
    IReadOnlyList<ProtocolInfo>? Protocols,
    double? DefaultWeight,
    IReadOnlyDictionary<string, double>? InstanceWeights,
    IReadOnlyList<string>? Tags,
    IReadOnlyDictionary<string, string>? Properties,
    string? IfMatch,
    string? IfNoneMatch,
    Actor Actor) : ICommand<Outcome<MetadataChange>>, IServiceAddress;

internal sealed record MetadataChange(ServiceMetadataInfo Metadata, bool Created);

internal sealed class PutServiceMetadataValidator : AbstractValidator<PutServiceMetadataCommand>
{
    public PutServiceMetadataValidator(IOptions<NamingOptions> options)
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Protocols)
            .Must(protocols => protocols is null || protocols.Count <= MetadataRules.MaxProtocols)
            .WithMessage($"'{{PropertyName}}' may hold at most {MetadataRules.MaxProtocols} protocols.");
        RuleForEach(c => c.Protocols).ChildRules(protocol =>
        {
            protocol.RuleFor(p => p.Name).NotEmpty().ValidProtocolName();
            protocol.RuleFor(p => p.Port).InclusiveBetween(1, 65535);
            protocol.RuleFor(p => p.Path).ValidProtocolPath();
        }).When(c => c.Protocols is not null && c.Protocols.All(p => p is not null)).OverridePropertyName("protocols");
        RuleFor(c => c.Protocols)
            .Must(protocols => protocols is null || protocols.All(p => p is not null))
            .WithMessage("'{PropertyName}' must not contain null entries.")
            .Must(protocols => protocols is null || protocols.Where(p => p?.Name is not null)
                .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).All(g => g.Count() == 1))
            .WithMessage("Each protocol may appear once in '{PropertyName}'.");
        RuleFor(c => c.DefaultWeight).InclusiveBetween(0, InstanceRules.MaxWeight);
        RuleFor(c => c.InstanceWeights)
            .Must(weights => weights is null || weights.Count <= MetadataRules.MaxInstanceWeights)
            .WithMessage($"'{{PropertyName}}' may hold at most {MetadataRules.MaxInstanceWeights} entries.")
            .Must(weights => weights is null || weights.Keys.All(InstanceIds.IsWellFormed))
            .WithMessage("Every key of '{PropertyName}' must be an instance id: ip#port#cluster.")
            .Must(weights => weights is null || weights.Values.All(w => w is >= 0 and <= InstanceRules.MaxWeight))
            .WithMessage($"Every weight in '{{PropertyName}}' must be between 0 and {InstanceRules.MaxWeight}.");
        RuleFor(c => c.Tags)
            .Must(tags => tags is null || tags.Count <= MetadataRules.MaxTags)
            .WithMessage($"'{{PropertyName}}' may hold at most {MetadataRules.MaxTags} tags.")
            .Must(tags => tags is null || tags.All(t => t is { Length: > 0 and <= MetadataRules.MaxTagLength }))
            .WithMessage($"Every tag must be 1 to {MetadataRules.MaxTagLength} characters.")
            .Must(tags => tags is null || tags.Distinct(StringComparer.Ordinal).Count() == tags.Count)
            .WithMessage("Each tag may appear once in '{PropertyName}'.");
        RuleFor(c => c.Properties).WithinLimits(options.Value.MetadataLimits());
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.IfNoneMatch).ValidEntityTag("If-None-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PutServiceMetadataHandler(MetadataTable documents, MetadataSaves saves, ChangeWriter writer)
    : ICommandHandler<PutServiceMetadataCommand, Outcome<MetadataChange>>
{
    public async ValueTask<Outcome<MetadataChange>> Handle(PutServiceMetadataCommand command, CancellationToken cancellationToken)
    {
        var key = command.ServiceKey();
        var body = MetadataSaves.Body(command.Protocols, command.DefaultWeight, command.InstanceWeights, command.Tags, command.Properties);
        return await writer.WriteAsync(
            at => saves.Decide(at, key, _ => body, command.IfMatch, command.IfNoneMatch, command.Actor, "metadata.put"),
            cancellationToken, serializeOn: documents.Kind.LogKey(key));
    }
}
