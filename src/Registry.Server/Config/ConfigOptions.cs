using FluentValidation;

namespace Registry.Server.Config;

/// <summary>The config center (section <c>Registry:Config</c>).</summary>
internal sealed class ConfigOptions
{
    public const string Section = "Registry:Config";

    /// <summary>The largest content a publish may carry, in bytes; larger ones get 413.</summary>
    public int MaxContentBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a long-poll read waits when it names no <c>timeoutMs</c>.</summary>
    public TimeSpan DefaultLongPollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>The longest <c>timeoutMs</c> a long-poll read may ask for.</summary>
    public TimeSpan MaxLongPollTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Versions of history kept per key; 0 keeps all.</summary>
    public int HistoryMaxVersions { get; set; }

    /// <summary>History older than this is removed (the current version always stays); 0 keeps all.</summary>
    public TimeSpan HistoryMaxAge { get; set; } = TimeSpan.Zero;

    /// <summary>How often age-based history retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class ConfigOptionsValidator : AbstractValidator<ConfigOptions>
{
    public ConfigOptionsValidator()
    {
        RuleFor(o => o.MaxContentBytes).InclusiveBetween(1, 64 * 1024 * 1024);
        RuleFor(o => o.MaxLongPollTimeout).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        RuleFor(o => o.DefaultLongPollTimeout).GreaterThan(TimeSpan.Zero)
            .LessThanOrEqualTo(o => o.MaxLongPollTimeout);
        RuleFor(o => o.HistoryMaxVersions).GreaterThanOrEqualTo(0);
        RuleFor(o => o.HistoryMaxAge).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(o => o.RetentionInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }
}
