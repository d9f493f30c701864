using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using Registry.Client.Http;
using Registry.Contracts.Naming;

namespace Registry.Client.Discovery;

/// <summary>
/// Resolves service names through Registry (registered after other providers, it answers any name), but not an
/// address (an IP literal, <c>localhost</c>) nor the registry's own host: those go to the next provider, so that the
/// client's own calls to the registry, and any call to a real address, never wait on the registry to resolve them
/// (with service discovery on every HttpClient, as Aspire's service defaults set it, they would wait on themselves).
/// </summary>
internal sealed class RegistryServiceEndpointProviderFactory(RegistryResolver resolver, ServerList servers, IOptions<RegistryClientOptions> options)
    : IServiceEndpointProviderFactory
{
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        var name = query.ServiceName;
        if (IPAddress.TryParse(name.Trim('[', ']'), out _) || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || servers.IsServerHost(name))
        {
            provider = null;
            return false;
        }

        provider = new RegistryServiceEndpointProvider(query, resolver, options.Value);
        return true;
    }
}

/// <summary>
/// The endpoints of one service: its healthy instances, each repeated in proportion to its effective weight
/// (at most <see cref="MaxCopies"/> times) so that the round-robin selection of service discovery spreads
/// calls by weight. An endpoint name (<c>https+http://_grpc.orders</c>) selects instances by protocol. A name
/// without such an instance fails the call with the registry's own reason, not DNS's, unless the app opted into
/// the fallback.
/// </summary>
internal sealed class RegistryServiceEndpointProvider(ServiceEndpointQuery query, RegistryResolver resolver, RegistryClientOptions options)
    : IServiceEndpointProvider
{
    /// <summary>The most copies of one instance: weights are rounded relative to the lightest instance.</summary>
    public const int MaxCopies = 20;

    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        var protocol = query.EndpointName;
        var instances = await resolver.ResolveAsync(query.ServiceName, protocol, cancellationToken).ConfigureAwait(false);
        foreach (var (instance, copies) in Copies(instances))
        {
            var endpoint = ServiceEndpoint.Create(EndpointOf(instance));
            for (var i = 0; i < copies; i++)
            {
                endpoints.Endpoints.Add(endpoint);
            }
        }

        endpoints.AddChangeToken(resolver.GetChangeToken(query.ServiceName, protocol));
        if (endpoints.Endpoints.Count == 0 && !options.Discovery.FallbackToDns)
        {
            var serving = protocol is null ? "" : $" serving {protocol}";
            throw new NoInstanceAvailableException(
                $"No instance{serving} available for '{query.ServiceName}' in namespace '{options.Namespace}', group '{options.Group}' of the registry.");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => "Registry";

    /// <summary>How many times each usable instance is listed: its weight over the lightest one's, rounded, capped.</summary>
    internal static IEnumerable<(InstanceInfo Instance, int Copies)> Copies(IReadOnlyList<InstanceInfo> instances)
    {
        var usable = instances.Where(static i => i.Enabled && i.Healthy && i.EffectiveWeight > 0).ToList();
        if (usable.Count == 0)
        {
            yield break;
        }

        var lightest = usable.Min(static i => i.EffectiveWeight);
        foreach (var instance in usable)
        {
            yield return (instance, (int)Math.Clamp(Math.Round(instance.EffectiveWeight / lightest), 1, MaxCopies));
        }
    }

    private static EndPoint EndpointOf(InstanceInfo instance)
    {
        var (host, port) = instance.Endpoint is { } endpoint ? (endpoint.Host, endpoint.Port) : (instance.Ip, instance.Port);
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }
}
