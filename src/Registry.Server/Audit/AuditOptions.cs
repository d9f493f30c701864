using FluentValidation;

namespace Registry.Server.Audit;

/// <summary>The audit log (section <c>Registry:Audit</c>).</summary>
internal sealed class AuditOptions
{
    public const string Section = "Registry:Audit";

    /// <summary>Entries older than this are removed; 0 keeps all.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How many auth failures may wait to be written; beyond it they are counted, not stored.</summary>
    public int FailureBuffer { get; set; } = 10_000;

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class AuditOptionsValidator : AbstractValidator<AuditOptions>
{
    public AuditOptionsValidator()
    {
        RuleFor(o => o.MaxAge).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(o => o.FailureBuffer).InclusiveBetween(1, 1_000_000);
        RuleFor(o => o.RetentionInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }
}
