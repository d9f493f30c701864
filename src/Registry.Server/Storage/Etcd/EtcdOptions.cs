using FluentValidation;

namespace Registry.Server.Storage.Etcd;

/// <summary>The etcd cluster the log lives in (<c>Registry:Storage:Etcd</c>).</summary>
internal sealed class EtcdOptions
{
    /// <summary>The client URLs of the members, comma-separated: <c>http://10.0.0.1:2379,http://10.0.0.2:2379</c>.</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>
    /// The largest transaction the members take (their <c>--max-request-bytes</c>, 1.5 MiB by default): a change
    /// that would need more is refused with 413 before it is sent.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 1536 * 1024;

    /// <summary>The most operations one transaction may hold (the members' <c>--max-txn-ops</c>, 128 by default).</summary>
    public int MaxTxnOps { get; set; } = 128;

    /// <summary>How long a write or a read of history waits for the members before it is refused with 503.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The time-to-live of a node's lease: a node that has not renewed it for this long (dead, or cut off from etcd)
    /// is taken for dead, and the others take its instances over.
    /// </summary>
    public TimeSpan NodeLeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<Uri> EndpointUris() =>
    [
        .. Endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(endpoint => new Uri(endpoint, UriKind.Absolute)),
    ];
}

internal sealed class EtcdOptionsValidator : AbstractValidator<EtcdOptions>
{
    public EtcdOptionsValidator()
    {
        RuleFor(o => o.Endpoints).NotEmpty()
            .WithMessage("'Endpoints' must name the etcd members' client URLs, comma-separated (http://host:2379,...).");
        RuleForEach(o => o.Endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Must(endpoint => Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0)
            .OverridePropertyName("Endpoints")
            .WithMessage("Every endpoint must be an absolute http or https URL with a port, such as http://127.0.0.1:2379; '{PropertyValue}' is not.");
        RuleFor(o => o.MaxRequestBytes).InclusiveBetween(64 * 1024, 64 * 1024 * 1024);
        RuleFor(o => o.MaxTxnOps).InclusiveBetween(16, 100_000);
        RuleFor(o => o.RequestTimeout).InclusiveBetween(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));
        RuleFor(o => o.NodeLeaseTtl).InclusiveBetween(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
    }
}
