using FluentValidation;

namespace Registry.Server.Storage.Etcd;

/// <summary>This node in a cluster (<c>Registry:Cluster</c>).</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Registry:Cluster";

    /// <summary>
    /// The node's id, unique in the cluster and the same across its restarts; by default its host name and the port
    /// it listens on (<c>orders-registry-1:8080</c>).
    /// </summary>
    public string? NodeId { get; set; }
}

internal sealed class ClusterOptionsValidator : AbstractValidator<ClusterOptions>
{
    public ClusterOptionsValidator() =>
        RuleFor(o => o.NodeId)
            .Matches("^[A-Za-z0-9._:-]{1,128}$")
            .When(o => !string.IsNullOrWhiteSpace(o.NodeId))
            .WithMessage("'NodeId' must be 1 to 128 letters, digits, '.', '_', ':' or '-'.");
}
