using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// Changes part of a service's metadata document with a JSON Merge Patch: members given replace those of the
/// current version, <c>null</c> removes one, <c>instanceWeights</c> and <c>properties</c> merge entry by entry,
/// <c>protocols</c> and <c>tags</c> are replaced whole. The patch is merged onto the document as the write decides
/// it, so a write that came in between is never lost: the patch applies on top of it. The merged document is held
/// to the rules of a PUT and saved as a PUT saves it (a version in history). <c>If-Match</c> makes it a
/// compare-and-set on the client's version. A service without a document gets one (201).
/// </summary>
internal sealed record PatchServiceMetadataCommand(
    string Namespace, string Group, string Service, JsonObject Patch, string? IfMatch, Actor Actor)
    : ICommand<Outcome<MetadataChange>>, IServiceAddress;

internal sealed class PatchServiceMetadataValidator : AbstractValidator<PatchServiceMetadataCommand>
{
    public PatchServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PatchServiceMetadataHandler(
    MetadataTable documents, MetadataSaves saves, ChangeWriter writer, IValidator<PutServiceMetadataCommand> documentRules)
    : ICommandHandler<PatchServiceMetadataCommand, Outcome<MetadataChange>>
{
    public async ValueTask<Outcome<MetadataChange>> Handle(PatchServiceMetadataCommand command, CancellationToken cancellationToken)
    {
        var key = command.ServiceKey();
        return await writer.WriteAsync(
            at => saves.Decide(at, key, live => Merge(live, command), command.IfMatch, ifNoneMatch: null, command.Actor, "metadata.patch"),
            cancellationToken, serializeOn: documents.Kind.LogKey(key));
    }

    /// <summary>The patch applied to the live document (an empty one when there is none), held to the rules of a PUT.</summary>
    private MetadataBody Merge(MetadataBody? live, PatchServiceMetadataCommand command)
    {
        var document = live is null ? new ServiceMetadata() : new ServiceMetadata
        {
            Protocols = live.Protocols,
            DefaultWeight = live.DefaultWeight,
            InstanceWeights = live.InstanceWeights,
            Tags = live.Tags,
            Properties = live.Properties,
        };
        var merged = Read(JsonMergePatch.Apply(JsonSerializer.SerializeToNode(document, RegistryJsonContext.Default.ServiceMetadata), command.Patch));
        var asPut = new PutServiceMetadataCommand(
            command.Namespace, command.Group, command.Service, merged.Protocols, merged.DefaultWeight, merged.InstanceWeights,
            merged.Tags, merged.Properties, IfMatch: null, IfNoneMatch: null, command.Actor);
        if (documentRules.Validate(asPut) is { IsValid: false } broken)
        {
            throw new ValidationException(broken.Errors);
        }

        return MetadataSaves.Body(merged.Protocols, merged.DefaultWeight, merged.InstanceWeights, merged.Tags, merged.Properties);
    }

    private static ServiceMetadata Read(JsonNode? merged)
    {
        try
        {
            return merged.Deserialize(RegistryJsonContext.Default.ServiceMetadata) ?? new ServiceMetadata();
        }
        catch (JsonException ex)
        {
            var field = Problems.JsonField(ex);
            throw new ValidationException([new ValidationFailure(field, Problems.IsUnknownMember(ex)
                ? $"'{field}' is not a field of the metadata document."
                : $"'{field}' has a value of the wrong type.")]);
        }
    }
}
