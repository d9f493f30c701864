using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// <c>PUT /nacos/v1/ns/instance/beat</c>: a full beat (<c>beat</c> JSON, whose cluster field is <c>cluster</c>)
/// or a light one (<c>ip</c>, <c>port</c>, <c>clusterName</c>), renewed through the native heartbeat.
/// </summary>
internal static class NacosBeat
{
    public const int Ok = 10200;
    public const int ResourceNotFound = 20404;

    public static async Task<IResult> Beat(HttpContext http, IMediator mediator, IOptions<NamingOptions> options, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Register, ns);
        var (group, service) = NacosNames.Service(p);
        var beat = ParseBeat(p);
        var ip = beat?.Ip is { Length: > 0 } beatIp ? beatIp : p.Required("ip");
        var port = beat?.Port ?? p.Int("port") ?? throw NacosException.Missing("port");
        var cluster = beat?.Cluster is { Length: > 0 } beatCluster ? beatCluster
            : p.Any("clusterName", "cluster") is { Length: > 0 } given ? given : NameRules.DefaultCluster;
        var id = InstanceIds.Derive(HostRules.TryNormalize(ip, out var normal) ? normal : ip, port, cluster);

        var outcome = await mediator.Send(new HeartbeatCommand(ns, group, service, id), ct);
        if (outcome.Failure is { Code: "instance-not-found" })
        {
            if (beat is null)
            {
                return BeatReply((long)options.Value.HeartbeatInterval.TotalMilliseconds, ResourceNotFound);
            }

            // A full beat carries the whole instance: registering it from there heals the registry after a
            // restart for clients (Node) that ignore the reply's code.
            var metadata = beat.Metadata?.ToDictionary(
                static m => m.Key, static m => m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText(),
                StringComparer.Ordinal);
            var registered = await NacosInstances.RegisterAsync(mediator, NacosInstances.RegisterCommand(
                ns, group, service, ip, port, cluster, beat.Weight, enabled: null, beat.Ephemeral ?? true, metadata), actor, ct);
            return BeatReply(registered.Instance.HeartbeatIntervalMs, Ok);
        }

        return BeatReply(outcome.OrThrow().Reply.HeartbeatIntervalMs, Ok);
    }

    private static NacosBeatInfo? ParseBeat(NacosParameters p)
    {
        if (p["beat"] is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, NacosJson.Default.NacosBeatInfo);
        }
        catch (JsonException ex)
        {
            throw NacosException.Invalid("beat", ex.Message);
        }
    }

    private static IResult BeatReply(long interval, int code) =>
        NacosResults.Json(new NacosBeatReply(interval, code, LightBeatEnabled: true), NacosJson.Default.NacosBeatReply);
}
