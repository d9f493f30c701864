using Microsoft.Extensions.Diagnostics.HealthChecks;
using Registry.Client.Telemetry;

// Beside the platform's own AddCheck and friends.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds the application's standing with the registry to its health checks.</summary>
public static class RegistryHealthCheckExtensions
{
    /// <summary>
    /// Reports whether this application is registered (when it registers), the registry reachable and its config
    /// items current; <paramref name="failureStatus"/> (Degraded by default) when one of them is not, saying which.
    /// Needs <c>AddRegistryClient</c>.
    /// </summary>
    public static IHealthChecksBuilder AddRegistryHealthCheck(
        this IHealthChecksBuilder builder, string name = "registry", HealthStatus failureStatus = HealthStatus.Degraded, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name, static provider => ActivatorUtilities.CreateInstance<RegistryHealthCheck>(provider), failureStatus,
            [RegistryHealthCheck.Tag, .. tags ?? []]));
    }
}
