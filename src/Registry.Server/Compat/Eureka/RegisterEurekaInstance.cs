using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// A Eureka registration: checked for what Eureka requires, then registered through the native command
/// (whose own rules run too). The lease follows <c>leaseInfo</c>: beats every <c>renewalIntervalInSecs</c>
/// (30), unhealthy (DOWN) after <c>durationInSecs</c> (90) of silence, evicted after twice that, as Eureka
/// itself in effect evicts. A registration keeps an override an admin set, and moves the instance when it
/// comes back under the same id at a new address. Eureka keys instances by instanceId, the naming center by
/// address and cluster: an instance lives in the cluster <c>DEFAULT</c> unless another instance holds its
/// address there, and then in a cluster of its own (<see cref="EurekaMapping.ClusterOf"/>), so both are kept.
/// </summary>
internal sealed record RegisterEurekaInstanceCommand(string AppId, EurekaInstanceForm Instance)
    : ICommand<Outcome<InstanceInfo>>;

internal sealed class RegisterEurekaInstanceValidator : AbstractValidator<RegisterEurekaInstanceCommand>
{
    public const long DefaultRenewalSecs = 30;
    public const long DefaultDurationSecs = 90;

    public RegisterEurekaInstanceValidator(IOptions<NamingOptions> options)
    {
        var o = options.Value;
        RuleFor(c => c.Instance.InstanceId).NotEmpty().WithMessage("Missing instanceId (and hostName, which stands in for it).")
            .OverridePropertyName("instanceId");
        RuleFor(c => c.Instance.HostName).NotEmpty().WithMessage("Missing hostName.").OverridePropertyName("hostName");
        RuleFor(c => c.Instance.IpAddr).NotEmpty().WithMessage("Missing ipAddr.").OverridePropertyName("ipAddr");
        RuleFor(c => c.Instance.App).NotEmpty().WithMessage("Missing app.").OverridePropertyName("app");
        RuleFor(c => c.Instance.App)
            .Must((c, app) => string.Equals(app, c.AppId, StringComparison.OrdinalIgnoreCase))
            .When(c => !string.IsNullOrEmpty(c.Instance.App))
            .WithMessage(c => $"The app '{c.Instance.App}' does not match the app of the path, '{c.AppId}'.")
            .OverridePropertyName("app");
        RuleFor(c => c.Instance.HasDataCenterInfo).Equal(true).WithMessage("Missing dataCenterInfo.")
            .OverridePropertyName("dataCenterInfo");
        RuleFor(c => c.Instance.Port).NotNull().WithMessage("Missing port.").OverridePropertyName("port");
        RuleFor(c => c.Instance.Status).Must(s => s is null || EurekaMapping.Statuses.Contains(s))
            .WithMessage($"'status' must be one of {string.Join(", ", EurekaMapping.Statuses)}.").OverridePropertyName("status");

        var minSecs = (long)Math.Ceiling(o.MinHeartbeatInterval.TotalSeconds);
        var maxSecs = (long)o.MaxHeartbeatInterval.TotalSeconds;
        var maxDuration = (long)o.MaxEvictAfter.TotalSeconds;
        RuleFor(c => c.Instance.RenewalIntervalInSecs).InclusiveBetween(minSecs, maxSecs)
            .OverridePropertyName("leaseInfo.renewalIntervalInSecs");
        RuleFor(c => c.Instance.DurationInSecs).InclusiveBetween(1, maxDuration)
            .OverridePropertyName("leaseInfo.durationInSecs");
        RuleFor(c => c.Instance.DurationInSecs)
            .Must((c, d) => (d ?? DefaultDurationSecs) > (c.Instance.RenewalIntervalInSecs ?? DefaultRenewalSecs))
            .WithMessage("'leaseInfo.durationInSecs' must be longer than 'leaseInfo.renewalIntervalInSecs'.")
            .OverridePropertyName("leaseInfo.durationInSecs");
    }
}

internal sealed class RegisterEurekaInstanceHandler(IMediator mediator, EurekaInstanceIndex index, IOptions<NamingOptions> options)
    : ICommandHandler<RegisterEurekaInstanceCommand, Outcome<InstanceInfo>>
{
    public async ValueTask<Outcome<InstanceInfo>> Handle(RegisterEurekaInstanceCommand command, CancellationToken cancellationToken)
    {
        var form = command.Instance;
        var service = EurekaMapping.ServiceName(command.AppId);
        var existing = await mediator.FindEurekaInstanceAsync(index, command.AppId, form.InstanceId!, cancellationToken);
        var overridden = existing?.Metadata.GetValueOrDefault(EurekaMapping.OverriddenStatusKey);
        var renewal = (form.RenewalIntervalInSecs ?? RegisterEurekaInstanceValidator.DefaultRenewalSecs) * 1000;
        var duration = (form.DurationInSecs ?? RegisterEurekaInstanceValidator.DefaultDurationSecs) * 1000;
        var evict = Math.Max(duration, Math.Min(2 * duration, (long)options.Value.MaxEvictAfter.TotalMilliseconds));
        var cluster = await ClusterAsync(service, form, existing, cancellationToken);

        var outcome = await mediator.Send(new RegisterInstanceCommand(
            EurekaMapping.Namespace, EurekaMapping.Group, service, form.IpAddr, form.Port, cluster, Weight: null,
            Enabled: EurekaMapping.DeclaredStatus(form.Status, overridden) == EurekaMapping.Up, Ephemeral: true,
            Metadata(form, overridden), renewal, duration, evict), cancellationToken);
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        var instance = outcome.Value!.Instance;
        index.Remember(service, form.InstanceId!, instance.Id);
        if (existing is not null && existing.Id != instance.Id)
        {
            // Same Eureka instance at a new address: the old one must not linger until its lease lapses.
            await mediator.Send(new DeregisterInstanceCommand(EurekaMapping.Namespace, EurekaMapping.Group, service, existing.Id), cancellationToken);
        }

        return instance;
    }

    /// <summary>
    /// The instance's native cluster: where it already is at this address, else <c>DEFAULT</c> unless another
    /// instance holds the address there. Two first registrations racing for one address both take <c>DEFAULT</c>;
    /// the loser's next renewal gets 404 and its registration then finds the address held.
    /// </summary>
    private async Task<string> ClusterAsync(string service, EurekaInstanceForm form, InstanceInfo? existing, CancellationToken ct)
    {
        var ip = HostRules.TryNormalize(form.IpAddr, out var normal) ? normal : form.IpAddr!;
        if (existing is not null && existing.Ip == ip && existing.Port == form.Port)
        {
            return existing.Cluster;
        }

        var holder = (await mediator.Send(new GetInstanceQuery(EurekaMapping.Namespace, EurekaMapping.Group, service,
            InstanceIds.Derive(ip, form.Port!.Value, NameRules.DefaultCluster)), ct)).Value;
        return holder is null || EurekaMapping.InstanceId(holder) == form.InstanceId
            ? NameRules.DefaultCluster
            : EurekaMapping.ClusterOf(form.InstanceId!);
    }

    private static Dictionary<string, string> Metadata(EurekaInstanceForm form, string? overridden)
    {
        var metadata = new Dictionary<string, string>(form.Metadata, StringComparer.Ordinal);
        Put(metadata, EurekaMapping.InstanceIdKey, form.InstanceId);
        Put(metadata, EurekaMapping.HostNameKey, form.HostName);
        Put(metadata, EurekaMapping.StatusKey, form.Status ?? EurekaMapping.Up);
        Put(metadata, EurekaMapping.OverriddenStatusKey, overridden);
        Put(metadata, EurekaMapping.PortEnabledKey, form.PortEnabled);
        Put(metadata, EurekaMapping.SecurePortKey, form.SecurePort?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Put(metadata, EurekaMapping.SecurePortEnabledKey, form.SecurePortEnabled);
        Put(metadata, EurekaMapping.VipAddressKey, form.VipAddress);
        Put(metadata, EurekaMapping.SecureVipAddressKey, form.SecureVipAddress);
        Put(metadata, EurekaMapping.DataCenterClassKey, form.DataCenterClass);
        Put(metadata, EurekaMapping.DataCenterNameKey, form.DataCenterName);
        Put(metadata, EurekaMapping.HomePageUrlKey, form.HomePageUrl);
        Put(metadata, EurekaMapping.StatusPageUrlKey, form.StatusPageUrl);
        Put(metadata, EurekaMapping.HealthCheckUrlKey, form.HealthCheckUrl);
        Put(metadata, EurekaMapping.LastDirtyTimestampKey, form.LastDirtyTimestamp);
        return metadata;
    }

    private static void Put(Dictionary<string, string> metadata, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            metadata[key] = value;
        }
    }
}
