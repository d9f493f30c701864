using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// How a save of a service's metadata document is decided, whether it gives the whole document (PUT) or a change
/// to the current one (PATCH): in a namespace that exists, creating the service if need be, and every save a
/// version, even of an unchanged document (history records what admins saved).
/// </summary>
internal sealed class MetadataSaves(MetadataTable documents, ServiceTable services, NamespaceTable namespaces, TimeProvider time)
{
    /// <param name="body">The document to save, from the live one at the read point (null when there is none).</param>
    /// <param name="action">The audit action.</param>
    public Decision<MetadataChange> Decide(
        ReadPoint at, ServiceKey key, Func<MetadataBody?, MetadataBody> body, string? ifMatch, string? ifNoneMatch, Actor actor, string action)
    {
        if (namespaces.Find(key.Namespace) is null)
        {
            return NamespaceFailures.NotFound(key.Namespace);
        }

        var now = time.GetUtcNow();
        var proposal = new Proposal(at).Read(NamespaceChanges.Key(key.Namespace));
        if (services.Find(key) is null)
        {
            proposal.Add(new ServicePut(key, new ServiceRecord(0, MetadataMaps.Empty, now, 0)));
        }
        else
        {
            proposal.Read(NamingChanges.Key(key));
        }

        var decided = documents.Decide(proposal, key, body, op: null, actor, now, ifMatch, ifNoneMatch, skipUnchanged: false);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(now, actor, action, key.Namespace, $"{key.Group}/{key.Name}", $"version {written.Version}"))
            .Then(revision => new MetadataChange((written with { Revision = revision }).ToInfo(key), decided.Created));
    }

    /// <summary>A document as a client gives it: what it leaves out is empty; protocol names in lower case.</summary>
    public static MetadataBody Body(
        IReadOnlyList<ProtocolInfo>? protocols, double? defaultWeight, IReadOnlyDictionary<string, double>? instanceWeights,
        IReadOnlyList<string>? tags, IReadOnlyDictionary<string, string>? properties) => new(
        [.. (protocols ?? []).Select(p => p with { Name = p.Name.ToLowerInvariant() })],
        defaultWeight,
        instanceWeights ?? new Dictionary<string, double>(),
        tags ?? [],
        MetadataMaps.OrEmpty(properties));
}
