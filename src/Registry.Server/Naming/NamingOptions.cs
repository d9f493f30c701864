using FluentValidation;

namespace Registry.Server.Naming;

/// <summary>Leases, the sweeper and limits of the naming center (section <c>Registry:Naming</c>).</summary>
internal sealed class NamingOptions
{
    public const string Section = "Registry:Naming";

    /// <summary>How often instances beat unless they registered their own interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An ephemeral instance without a beat for this long is marked unhealthy.</summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An ephemeral instance without a beat for this long is evicted.</summary>
    public TimeSpan EvictAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the sweeper looks for expired leases.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bounds of the per-instance lease overrides.</summary>
    public TimeSpan MinHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxHeartbeatInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxEvictAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Limits of instance and service metadata.</summary>
    public int MaxMetadataEntries { get; set; } = 64;

    public int MaxMetadataKeyLength { get; set; } = 128;

    public int MaxMetadataValueLength { get; set; } = 1024;

    /// <summary>The most UTF-16 characters of all keys and values of one metadata map together.</summary>
    public int MaxMetadataTotalLength { get; set; } = 8192;

    public SelfPreservationOptions SelfPreservation { get; set; } = new();
}

internal sealed class SelfPreservationOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>A sweep that would evict more than this share of the ephemeral instances is held back.</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>Below this many ephemeral instances there is no mass to protect: evictions always go ahead.</summary>
    public int MinInstances { get; set; } = 10;

    /// <summary>
    /// The longest evictions are held back; after that the server evicts after all (clients that come back
    /// get 404 on their beat and re-register), so the mode can never stick.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromMinutes(15);
}

internal sealed class NamingOptionsValidator : AbstractValidator<NamingOptions>
{
    public NamingOptionsValidator()
    {
        RuleFor(o => o.MinHeartbeatInterval).GreaterThan(TimeSpan.Zero);
        RuleFor(o => o.MaxHeartbeatInterval).GreaterThanOrEqualTo(o => o.MinHeartbeatInterval);
        RuleFor(o => o.HeartbeatInterval)
            .InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        RuleFor(o => o.UnhealthyAfter).GreaterThan(o => o.HeartbeatInterval)
            .WithMessage("'UnhealthyAfter' must be longer than 'HeartbeatInterval'.");
        RuleFor(o => o.EvictAfter).GreaterThanOrEqualTo(o => o.UnhealthyAfter)
            .WithMessage("'EvictAfter' must not be shorter than 'UnhealthyAfter'.");
        RuleFor(o => o.MaxEvictAfter).GreaterThanOrEqualTo(o => o.EvictAfter);
        RuleFor(o => o.SweepInterval)
            .InclusiveBetween(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        RuleFor(o => o.MaxMetadataEntries).InclusiveBetween(0, 10_000);
        RuleFor(o => o.MaxMetadataKeyLength).InclusiveBetween(1, 10_000);
        RuleFor(o => o.MaxMetadataValueLength).InclusiveBetween(1, 1_000_000);
        RuleFor(o => o.MaxMetadataTotalLength).InclusiveBetween(1, 10_000_000);
        RuleFor(o => o.SelfPreservation.Threshold).ExclusiveBetween(0, 1)
            .OverridePropertyName("SelfPreservation:Threshold");
        RuleFor(o => o.SelfPreservation.MinInstances).GreaterThanOrEqualTo(1)
            .OverridePropertyName("SelfPreservation:MinInstances");
        RuleFor(o => o.SelfPreservation.MaxHold).GreaterThan(TimeSpan.Zero)
            .OverridePropertyName("SelfPreservation:MaxHold");
    }
}
