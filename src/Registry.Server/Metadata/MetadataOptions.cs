using FluentValidation;

namespace Registry.Server.Metadata;

/// <summary>The metadata center (section <c>Registry:Metadata</c>).</summary>
internal sealed class MetadataOptions
{
    public const string Section = "Registry:Metadata";

    /// <summary>Versions of history kept per document; 0 keeps all.</summary>
    public int HistoryMaxVersions { get; set; }

    /// <summary>History older than this is removed (the current version always stays); 0 keeps all.</summary>
    public TimeSpan HistoryMaxAge { get; set; } = TimeSpan.Zero;

    /// <summary>How often age-based history retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class MetadataOptionsValidator : AbstractValidator<MetadataOptions>
{
    public MetadataOptionsValidator()
    {
        RuleFor(o => o.HistoryMaxVersions).GreaterThanOrEqualTo(0);
        RuleFor(o => o.HistoryMaxAge).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(o => o.RetentionInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }
}
