using Registry.Contracts.Config;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>What the writes of a gray version share: the audit note, the metric, and the answer once applied.</summary>
internal static class GrayWrites
{
    public static Decision<ConfigGrayInfo> Written(
        Proposal proposal, DocumentDecision<ConfigBody> decided, ConfigKey key, DateTimeOffset now, Actor actor, string action,
        ConfigTable configs, ConfigMetrics metrics)
    {
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(now, actor, action, key.Namespace, $"{key.Group}/{key.DataId}", $"version {written.Version}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(written.Op).Inc();
                return configs.Find(key) is { Candidate: not null } head
                    ? head.ToGrayInfo(key)
                    : throw new InvalidOperationException($"The gray version of '{key}' was not applied.");
            });
    }
}
