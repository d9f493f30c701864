using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Registry.Client.Registration;

namespace Registry.Client.Telemetry;

/// <summary>
/// This application's standing with the registry: registered (when it registers), the registry reachable, and every
/// config item's values known current. Anything short of that reports the registration's failure status (Degraded
/// by default: the app goes on with what it knows) with what is wrong.
/// </summary>
internal sealed class RegistryHealthCheck(
    IOptions<RegistryClientOptions> options, InstanceRegistrar registrar, RegistryReachability reachability, ConfigurationFreshness configuration)
    : IHealthCheck
{
    /// <summary>The tag every registration of this check carries: the beat leaves it out of the application's own health.</summary>
    public const string Tag = "registry-client";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        if (options.Value.Registration.Service is { Length: > 0 } service)
        {
            if (registrar.Registered is { } instance)
            {
                data["instance"] = instance.Id;
            }
            else
            {
                problems.Add($"not registered as '{service}'");
            }
        }

        if (reachability.UnreachableSince is { } down)
        {
            data["unreachableSince"] = down;
            problems.Add($"the registry is unreachable since {Time(down)}");
        }

        foreach (var item in configuration.Items)
        {
            if (item.StaleSince is { } since)
            {
                data[$"config:{item.DataId}:staleSince"] = since;
                problems.Add($"configuration '{item.DataId}' may be out of date since {Time(since)}");
            }
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("Registered, the registry reachable and configuration current.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems) + ".", data: data));
    }

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
