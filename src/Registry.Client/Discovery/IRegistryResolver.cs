using Microsoft.Extensions.Primitives;
using Registry.Contracts.Naming;

namespace Registry.Client.Discovery;

/// <summary>
/// Resolves service names to instances from a local cache that the registry's watch keeps fresh (polling
/// while no watch is connected). While the registry is unreachable it keeps answering with the last known
/// list, and with a snapshot directory configured, even across a restart.
/// </summary>
public interface IRegistryResolver
{
    /// <summary>The healthy, enabled instances of <paramref name="service"/> (every enabled one past its protect threshold).</summary>
    /// <exception cref="RegistryUnavailableException">The registry cannot be reached and nothing is known about the service yet.</exception>
    ValueTask<IReadOnlyList<InstanceInfo>> ResolveAsync(string service, CancellationToken cancellationToken = default);

    /// <summary>
    /// One instance picked at random by effective weight, or null when none can take traffic. With a
    /// <paramref name="protocol"/>, only instances serving it, with <see cref="InstanceInfo.Endpoint"/> set.
    /// </summary>
    ValueTask<InstanceInfo?> PickAsync(string service, string? protocol = null, CancellationToken cancellationToken = default);

    /// <summary>The instances serving <paramref name="protocol"/>, each with its <see cref="InstanceInfo.Endpoint"/>.</summary>
    ValueTask<IReadOnlyList<InstanceInfo>> ResolveAsync(string service, string? protocol, CancellationToken cancellationToken = default);

    /// <summary>A token that fires when the list of <paramref name="service"/> (for <paramref name="protocol"/>) changes.</summary>
    IChangeToken GetChangeToken(string service, string? protocol = null);
}

/// <summary>The registry could not be reached and no list of the service is known, in memory or in a snapshot.</summary>
public sealed class RegistryUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RegistryUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RegistryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Service discovery asked for a name the registry has no instance of that can take traffic; the call fails with this
/// instead of falling through to DNS (unless <see cref="DiscoveryOptions.FallbackToDns"/> is set).
/// </summary>
public sealed class NoInstanceAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NoInstanceAvailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NoInstanceAvailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public NoInstanceAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
