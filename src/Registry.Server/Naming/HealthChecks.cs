using FluentValidation;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Probes;

namespace Registry.Server.Naming;

/// <summary>
/// Health checks as declared on services and instances: their rules and defaults, which check an instance gets, and
/// whether the server may probe it.
/// </summary>
internal static class HealthChecks
{
    public const long DefaultIntervalMs = 10_000;
    public const long DefaultTimeoutMs = 2_000;
    public const int DefaultUnhealthyThreshold = 3;
    public const int DefaultHealthyThreshold = 2;
    public const int MaxThreshold = 100;
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// The rules of a declared check (none when it is left out); <paramref name="onInstance"/> also takes <c>service</c>
    /// (follow the service's check).
    /// </summary>
    public static IRuleBuilderOptions<T, HealthCheck> ValidHealthCheck<T>(this IRuleBuilder<T, HealthCheck> rule, ProbeOptions options, bool onInstance) =>
        rule.SetValidator(Validator(options, onInstance));

    // Inline, not a validator class of its own: the assembly's validators are all registered for the messages they check.
    private static InlineValidator<HealthCheck> Validator(ProbeOptions options, bool onInstance)
    {
        string[] types = onInstance
            ? [HealthCheckTypes.Tcp, HealthCheckTypes.Http, HealthCheckTypes.None, ServiceType]
            : [HealthCheckTypes.Tcp, HealthCheckTypes.Http, HealthCheckTypes.None];
        var check = new InlineValidator<HealthCheck>();
        check.RuleFor(c => c.Type).NotEmpty()
            .Must(type => type is null || types.Contains(type, StringComparer.Ordinal))
            .WithMessage($"'{{PropertyName}}' must be one of {string.Join(", ", types)}.");
        check.RuleFor(c => c.Port).InclusiveBetween(1, 65535);
        check.RuleFor(c => c.Path).ValidProtocolPath();
        check.RuleFor(c => c.Path).Null().When(c => c.Type != HealthCheckTypes.Http).WithMessage("'{PropertyName}' is for http checks only.");
        check.RuleFor(c => c.IntervalMs).InclusiveBetween((long)options.MinInterval.TotalMilliseconds, (long)MaxInterval.TotalMilliseconds);
        check.RuleFor(c => c.TimeoutMs).InclusiveBetween(1, (long)options.MaxTimeout.TotalMilliseconds);
        check.RuleFor(c => c.TimeoutMs)
            .Must((c, timeout) => (timeout ?? DefaultTimeoutMs) < (c.IntervalMs ?? DefaultIntervalMs))
            .WithMessage("'{PropertyName}' must be shorter than the interval.");
        check.RuleFor(c => c.UnhealthyThreshold).InclusiveBetween(1, MaxThreshold);
        check.RuleFor(c => c.HealthyThreshold).InclusiveBetween(1, MaxThreshold);
        return check;
    }

    /// <summary>On an instance: follow the service's check (the default of a new instance).</summary>
    public const string ServiceType = "service";

    /// <summary>
    /// A declaration as stored: null for none on a service, and for <c>service</c> on an instance; every default filled
    /// in.
    /// </summary>
    public static HealthCheckRecord? ToRecord(this HealthCheck check, bool onInstance) => check.Type switch
    {
        ServiceType => null,
        HealthCheckTypes.None when !onInstance => null,
        HealthCheckTypes.None => new HealthCheckRecord(HealthCheckTypes.None, null, null, 0, 0, 0, 0),
        _ => new HealthCheckRecord(
            check.Type!,
            check.Port,
            check.Type == HealthCheckTypes.Http ? check.Path ?? "/" : null,
            check.IntervalMs ?? DefaultIntervalMs,
            check.TimeoutMs ?? DefaultTimeoutMs,
            check.UnhealthyThreshold ?? DefaultUnhealthyThreshold,
            check.HealthyThreshold ?? DefaultHealthyThreshold),
    };

    public static HealthCheck ToContract(this HealthCheckRecord check) => check.Type == HealthCheckTypes.None
        ? new HealthCheck { Type = HealthCheckTypes.None }
        : new HealthCheck
        {
            Type = check.Type,
            Port = check.Port,
            Path = check.Path,
            IntervalMs = check.IntervalMs,
            TimeoutMs = check.TimeoutMs,
            UnhealthyThreshold = check.UnhealthyThreshold,
            HealthyThreshold = check.HealthyThreshold,
        };

    /// <summary>The check that decides an instance's health: none for an ephemeral one; else its own, else its service's.</summary>
    public static HealthCheckRecord? Of(InstanceRecord instance, ServiceRecord? service) =>
        instance.Ephemeral ? null : Of(instance.HealthCheck, service);

    /// <summary>The check of a persistent instance with its own <paramref name="check"/> (null: it follows the service's).</summary>
    public static HealthCheckRecord? Of(HealthCheckRecord? check, ServiceRecord? service) =>
        (check ?? service?.HealthCheck) is { } effective && effective.Type != HealthCheckTypes.None ? effective : null;

    /// <summary>The probe a stored check runs.</summary>
    public static ProbeDefinition ToProbe(this HealthCheckRecord check) => new(
        check.Type == HealthCheckTypes.Http ? ProbeKind.Http : ProbeKind.Tcp,
        check.Port,
        check.Path ?? "/",
        TimeSpan.FromMilliseconds(check.IntervalMs),
        TimeSpan.FromMilliseconds(check.TimeoutMs),
        check.UnhealthyThreshold,
        check.HealthyThreshold);

    /// <summary>
    /// Why the server may not probe <paramref name="instance"/> under the check it gets in <paramref name="service"/>, or
    /// null when it may or has no check; the failure names <paramref name="field"/>.
    /// </summary>
    public static Failure? Refusal(this ProbeTargets targets, InstanceRecord instance, ServiceRecord? service, string field) =>
        Of(instance, service) is not null && targets.Refusal(instance.Ip) is { } why
            ? NamingFailures.ProbeRefused(field, $"Instance '{instance.Id}' cannot be checked: {why}")
            : null;
}
