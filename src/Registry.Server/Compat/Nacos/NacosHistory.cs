using System.Globalization;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// <c>/nacos/v1/cs/history</c> over the native config history. A history row's id is the version number
/// of its config item, so <c>nid</c> and <c>/previous</c> address versions.
/// </summary>
internal static class NacosHistory
{
    /// <summary>With <c>nid</c> one version, else (<c>search=accurate</c>) a page of them, newest first.</summary>
    public static async Task<IResult> Search(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.ConfigNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, dataId) = (p.Required("group"), p.Required("dataId"));
        var tenant = p["tenant"] ?? "";
        if (p.Long("nid") is { } nid)
        {
            return await VersionAsync(mediator, ns, group, dataId, tenant, nid, ct);
        }

        var pageNo = p.Int("pageNo") ?? 1;
        var pageSize = Math.Min(p.Int("pageSize") ?? 100, Paging.MaxPageSize);
        var outcome = await mediator.Send(new GetConfigHistoryQuery(ns, group, dataId, pageNo, pageSize), ct);
        if (outcome.Failure is { Code: "config-not-found" })
        {
            return NacosResults.Json(new NacosPage(0, pageNo, 0, []), NacosJson.Default.NacosPage);
        }

        var page = outcome.OrThrow();
        return NacosResults.Json(new NacosPage(
            page.Total, pageNo, (page.Total + pageSize - 1) / pageSize,
            [.. page.Items.Select(v => Item(v, dataId, group, tenant, content: null))]), NacosJson.Default.NacosPage);
    }

    /// <summary><c>GET /cs/history/previous?id=N</c>: the version before N.</summary>
    public static async Task<IResult> Previous(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.ConfigNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var id = p.Long("id") ?? throw NacosException.Missing("id");
        return await VersionAsync(mediator, ns, p.Required("group"), p.Required("dataId"), p["tenant"] ?? "", id - 1, ct);
    }

    /// <summary><c>GET /cs/history/configs?tenant=</c>: the live configs of a namespace, without content.</summary>
    public static async Task<IResult> Configs(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        if (p["tenant"] is null)
        {
            throw NacosException.Missing("tenant");
        }

        var ns = NacosNames.ConfigNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var items = new List<NacosConfigAll>();
        for (var page = 1; ; page++)
        {
            var result = await mediator.Send(new ListConfigsQuery(ns, NameRules.AnyGroup, null, null, page, Paging.MaxPageSize), ct);
            items.AddRange(result.Items.Select(c => new NacosConfigAll(
                Id(c.Version), c.DataId, c.Group, null, c.Md5, p["tenant"]!, "", NacosConfigs.Type(c.Format), null, null, null, null)));
            if (result.Items.Count == 0 || items.Count >= result.Total)
            {
                return NacosResults.Json(items, NacosJson.Default.ListNacosConfigAll);
            }
        }
    }

    public static string Id(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static async Task<IResult> VersionAsync(
        IMediator mediator, string ns, string group, string dataId, string tenant, long version, CancellationToken ct)
    {
        var read = await mediator.Send(new GetConfigQuery(ns, group, dataId, version < 1 ? null : version, null, null, ConfigClient.Anonymous), ct);
        if (version >= 1 && read.Value?.Config is { } info)
        {
            return NacosResults.Json(new NacosHistoryItem(
                Id(info.Version), Id(info.Version - 1), dataId, group, tenant, "", info.Md5, read.Value.Content, info.SourceAddress,
                info.Author, OpType(info.Op), Time(info.UpdatedAt), Time(info.UpdatedAt)), NacosJson.Default.NacosHistoryItem);
        }

        // A deletion has no content to read; its row is still in the history.
        var entry = version < 1 ? null : (await mediator.Send(new GetConfigHistoryQuery(ns, group, dataId, 1, Paging.MaxPageSize), ct)).Value?.Items
            .FirstOrDefault(v => v.Version == version);
        return entry is null
            ? NacosResults.Text($"history {version} of {dataId} not exist", StatusCodes.Status404NotFound)
            : NacosResults.Json(Item(entry, dataId, group, tenant, content: null), NacosJson.Default.NacosHistoryItem);
    }

    private static NacosHistoryItem Item(ConfigVersionInfo v, string dataId, string group, string tenant, string? content) => new(
        Id(v.Version), Id(v.Version - 1), dataId, group, tenant, "", v.Md5, content, v.SourceAddress, v.Author, OpType(v.Op),
        Time(v.Time), Time(v.Time));

    /// <summary>Nacos's operation letters: I (insert), U (update, a rollback included), D (delete).</summary>
    private static string OpType(string op) => op switch
    {
        ConfigNames.Create => "I",
        ConfigNames.Delete => "D",
        _ => "U",
    };

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
