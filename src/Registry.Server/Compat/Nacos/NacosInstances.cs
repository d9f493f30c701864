using System.Text.Json;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Namespaces;
using Registry.Server.Naming;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// <c>/nacos/v1/ns/instance</c>: each call maps Nacos parameters onto the native naming commands, so the
/// same store, change feed and validation apply.
/// </summary>
internal static class NacosInstances
{
    /// <summary>Nacos answers with 3 s when it has no UDP push to a client, which then polls at that pace.</summary>
    public const long CacheMillis = 3000;

    public static async Task<IResult> Register(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Register, ns);
        var (group, service) = NacosNames.Service(p);
        var ip = p.Required("ip");
        var port = p.Int("port") ?? throw NacosException.Missing("port");
        var command = RegisterCommand(
            ns, group, service, ip, port, p.Any("clusterName", "cluster") is { Length: > 0 } c ? c : null,
            p.Double("weight"), p.Bool("enabled", "enable"), p.Bool("ephemeral"), p.Metadata());
        await RegisterAsync(mediator, command, actor, ct);
        return NacosResults.Ok;
    }

    public static async Task<IResult> Deregister(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Register, ns);
        var (group, service) = NacosNames.Service(p);
        var outcome = await mediator.Send(new DeregisterInstanceCommand(ns, group, service, InstanceId(p)), ct);
        // Nacos answers ok for an instance that is already gone: deregistering is idempotent for its clients.
        if (outcome.Failure is { Code: not "instance-not-found" } failure)
        {
            throw NacosException.From(failure);
        }

        return NacosResults.Ok;
    }

    /// <summary>PUT (update) and PATCH: change what is given of an existing instance.</summary>
    public static async Task<IResult> Update(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Write, ns);
        var (group, service) = NacosNames.Service(p);
        var id = InstanceId(p);
        var current = (await mediator.Send(new GetInstanceQuery(ns, group, service, id), ct)).OrThrow();
        // The health of an ephemeral instance comes from its beats; an update that carries it (Nacos's PUT
        // sends the whole instance) changes the rest.
        var healthy = current.Ephemeral ? null : p.Bool("healthy");
        (await mediator.Send(new PatchInstanceCommand(
            ns, group, service, id, p.Bool("enabled", "enable"), p.Double("weight"), healthy, p.Metadata(), actor), ct)).OrThrow();
        return NacosResults.Ok;
    }

    /// <summary><c>PUT /ns/health/instance</c>: an admin sets a persistent instance's health (<c>healthy</c> or legacy <c>valid</c>).</summary>
    public static async Task<IResult> SetHealth(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Write, ns);
        var (group, service) = NacosNames.Service(p);
        var healthy = p.Bool("healthy", "valid") ?? throw NacosException.Missing("healthy");
        (await mediator.Send(new PatchInstanceCommand(ns, group, service, InstanceId(p), null, null, healthy, null, actor), ct)).OrThrow();
        return NacosResults.Ok;
    }

    public static async Task<IResult> Detail(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, service) = NacosNames.Service(p);
        var id = InstanceId(p);
        var outcome = await mediator.Send(new GetInstanceQuery(ns, group, service, id), ct);
        if (outcome.Failure is not null)
        {
            throw new NacosException(StatusCodes.Status404NotFound, $"no matched ip found! instance {id} of {NacosNames.Grouped(group, service)}");
        }

        var i = outcome.Value!;
        return NacosResults.Json(new NacosInstanceDetail(
            NacosNames.Grouped(group, service), i.Ip, i.Port, i.Cluster, i.EffectiveWeight, i.Healthy, i.Enabled, i.Ephemeral,
            NacosId(i), i.Metadata), NacosJson.Default.NacosInstanceDetail);
    }

    public static async Task<IResult> List(HttpContext http, IMediator mediator, TimeProvider time, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, service) = NacosNames.Service(p);
        var clusters = p["clusters"] ?? "";
        var healthyOnly = p.Bool("healthyOnly") ?? false;
        var list = await ListAsync(mediator, ns, group, service, healthyOnly, clusters, ct);
        var protect = list.ProtectThresholdReached;
        var hosts = list.Instances
            .Where(static i => i.Enabled)
            .Select(i => ToNacos(i) with { Healthy = i.Healthy || protect })
            .ToList();
        var grouped = NacosNames.Grouped(group, service);
        return NacosResults.Json(new NacosServiceInfo(
            grouped, group, clusters, CacheMillis, hosts, time.GetUtcNow().ToUnixTimeMilliseconds(),
            Checksum: "", AllIps: false, protect, Valid: true), NacosJson.Default.NacosServiceInfo);
    }

    /// <summary>The native list of a service (an unknown one has none), through the native query and its validation.</summary>
    public static async Task<InstanceList> ListAsync(
        IMediator mediator, string ns, string group, string service, bool healthyOnly, string clusters, CancellationToken ct)
    {
        var json = await mediator.Send(new ListInstancesQuery(ns, group, service, healthyOnly, clusters.Length == 0 ? null : clusters, null), ct);
        return JsonSerializer.Deserialize(json, RegistryJsonContext.Default.InstanceList)!;
    }

    public static NacosInstance ToNacos(InstanceInfo i) => new(
        NacosId(i), i.Ip, i.Port, i.EffectiveWeight, i.Healthy, i.Enabled, i.Ephemeral, i.Cluster,
        NacosNames.Grouped(i.Group, i.Service), i.Metadata, i.HeartbeatIntervalMs, "simple", i.UnhealthyAfterMs, i.EvictAfterMs);

    /// <summary>Nacos's instance id: <c>ip#port#cluster#group@@service</c>.</summary>
    public static string NacosId(InstanceInfo i) => $"{i.Ip}#{i.Port}#{i.Cluster}#{NacosNames.Grouped(i.Group, i.Service)}";

    /// <summary>A native registration, with the lease Nacos's <c>preserved.*</c> metadata declares.</summary>
    public static RegisterInstanceCommand RegisterCommand(
        string ns, string group, string service, string ip, int port, string? cluster, double? weight, bool? enabled, bool? ephemeral,
        IReadOnlyDictionary<string, string>? metadata) =>
        new(ns, group, service, ip, port, cluster, weight, enabled, ephemeral, metadata,
            Lease(metadata, "preserved.heart.beat.interval"), Lease(metadata, "preserved.heart.beat.timeout"),
            Lease(metadata, "preserved.ip.delete.timeout"));

    public static async Task<Registration> RegisterAsync(IMediator mediator, RegisterInstanceCommand command, Actor actor, CancellationToken ct) =>
        (await NacosNamespaces.CreatingNamespaceAsync(mediator, command.Namespace, actor, () => mediator.Send(command, ct), ct)).OrThrow();

    /// <summary>The native id (<c>ip#port#cluster</c>) of the instance the parameters name.</summary>
    public static string InstanceId(NacosParameters p)
    {
        var ip = p.Required("ip");
        var port = p.Int("port") ?? throw NacosException.Missing("port");
        var cluster = p.Any("clusterName", "cluster") is { Length: > 0 } c ? c : NameRules.DefaultCluster;
        return InstanceIds.Derive(HostRules.TryNormalize(ip, out var normal) ? normal : ip, port, cluster);
    }

    /// <summary>Nacos's per-instance lease overrides, in ms, from the <c>preserved.*</c> metadata.</summary>
    private static long? Lease(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata?.GetValueOrDefault(key) is { } text
        && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? ms
            : null;
}
