using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Namespaces;
using Registry.Server.Naming;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary><c>/nacos/v1/ns/service</c>, <c>/service/list</c>, <c>/catalog/*</c> and <c>/operator/metrics</c> over the native service use cases.</summary>
internal static class NacosServices
{
    public static async Task<IResult> Create(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var (p, ns, group, service, actor) = await WriteAsync(http, ct);
        if ((await mediator.Send(new GetServiceQuery(ns, group, service), ct)).Failure is null)
        {
            throw new NacosException(StatusCodes.Status400BadRequest, $"specified service already exists, serviceName : {NacosNames.Grouped(group, service)}");
        }

        var command = new PutServiceCommand(ns, group, service, p.Double("protectThreshold") ?? 0, p.Metadata(), HealthCheck: null, actor);
        (await NacosNamespaces.CreatingNamespaceAsync(mediator, ns, actor, () => mediator.Send(command, ct), ct)).OrThrow();
        return NacosResults.Ok;
    }

    public static async Task<IResult> Update(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var (p, ns, group, service, actor) = await WriteAsync(http, ct);
        if ((await mediator.Send(new GetServiceQuery(ns, group, service), ct)).Failure is not null)
        {
            throw NotFound(group, service);
        }

        (await mediator.Send(new PutServiceCommand(ns, group, service, p.Double("protectThreshold"), p.Metadata(), HealthCheck: null, actor), ct)).OrThrow();
        return NacosResults.Ok;
    }

    public static async Task<IResult> Delete(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var (_, ns, group, service, actor) = await WriteAsync(http, ct);
        var outcome = await mediator.Send(new DeleteServiceCommand(ns, group, service, actor), ct);
        return outcome.Failure switch
        {
            null => NacosResults.Ok,
            { Code: "service-not-found" } => throw NotFound(group, service),
            { Code: "service-not-empty" } => throw new NacosException(
                StatusCodes.Status400BadRequest, $"service delete failure: {NacosNames.Grouped(group, service)} still has instances"),
            var failure => throw NacosException.From(failure),
        };
    }

    public static async Task<IResult> Detail(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, service) = NacosNames.Service(p);
        var outcome = await mediator.Send(new GetServiceQuery(ns, group, service), ct);
        if (outcome.Failure is not null)
        {
            throw NotFound(group, service);
        }

        var s = outcome.Value!;
        return NacosResults.Json(new NacosServiceDetail(
            NacosNames.NacosNamespace(ns), group, service, s.ProtectThreshold, s.Metadata, new NacosSelector("none"),
            [.. s.Clusters.Select(static c => new NacosCluster(c.Name, new Dictionary<string, string>()))]), NacosJson.Default.NacosServiceDetail);
    }

    /// <summary><c>GET /ns/service/list</c>: <c>{count, doms}</c>, names without their group.</summary>
    public static async Task<IResult> List(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (pageNo, pageSize) = Paging(p);
        var (total, page) = await PageAsync(mediator, ns, NacosNames.Group(p["groupName"]), search: null, pageNo, pageSize, ct);
        return NacosResults.Json(new NacosServiceNames(total, [.. page.Select(static s => s.Name)]), NacosJson.Default.NacosServiceNames);
    }

    public static async Task<IResult> Catalog(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (pageNo, pageSize) = Paging(p);
        var search = p["serviceNameParam"] is { Length: > 0 } name ? name : null;
        var (total, page) = await PageAsync(mediator, ns, NacosNames.Group(p["groupNameParam"]), search, pageNo, pageSize, ct);
        return NacosResults.Json(new NacosCatalogServices(total, [.. page.Select(static s => new NacosCatalogService(
            s.Name, s.Group, s.Clusters.Count, s.InstanceCount, s.HealthyCount, "false"))]), NacosJson.Default.NacosCatalogServices);
    }

    public static async Task<IResult> CatalogInstances(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        NacosAccess.Demand(http, p, Roles.Read, ns);
        var (group, service) = NacosNames.Service(p);
        var (pageNo, pageSize) = Paging(p);
        var list = await NacosInstances.ListAsync(mediator, ns, group, service, healthyOnly: false, p["clusterName"] ?? "", ct);
        var hosts = list.Instances.Skip((pageNo - 1) * pageSize).Take(pageSize).Select(NacosInstances.ToNacos).ToList();
        return NacosResults.Json(new NacosCatalogInstances(hosts, list.Instances.Count), NacosJson.Default.NacosCatalogInstances);
    }

    /// <summary><c>GET /ns/operator/metrics</c>: what the Node client checks for server health (<c>status: UP</c>).</summary>
    public static async Task<IResult> Metrics(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        if (p.Bool("onlyStatus") ?? true)
        {
            return NacosResults.Json(new NacosMetrics("UP"), NacosJson.Default.NacosMetrics);
        }

        NacosAccess.Demand(http, p, Roles.Read, ns: null);
        // Every visible namespace, page by page: each costs its size, the counts are kept as changes are applied.
        int services = 0, instances = 0;
        for (var page = 1; ; page++)
        {
            var namespaces = await mediator.Send(
                new ListNamespacesQuery(null, page, Infrastructure.Paging.MaxPageSize, NacosAccess.Visible(http, p)), ct);
            services += namespaces.Items.Sum(static n => n.ServiceCount);
            instances += namespaces.Items.Sum(static n => n.InstanceCount);
            if ((long)page * Infrastructure.Paging.MaxPageSize >= namespaces.Total)
            {
                break;
            }
        }

        return NacosResults.Json(new NacosMetrics("UP", services, instances, 0, 0), NacosJson.Default.NacosMetrics);
    }

    /// <summary>
    /// One Nacos page of a group's services. Nacos clients ask for pages of any size (Spring Cloud asks for
    /// <c>Integer.MAX_VALUE</c>), so the native pages (at most 1000) are read until the window is covered.
    /// </summary>
    private static async Task<(int Total, List<ServiceInfo> Page)> PageAsync(
        IMediator mediator, string ns, string group, string? search, int pageNo, int pageSize, CancellationToken ct)
    {
        var skip = (long)(pageNo - 1) * pageSize;
        var page = new List<ServiceInfo>();
        var total = 0;
        for (var native = (int)(skip / Infrastructure.Paging.MaxPageSize) + 1; ; native++)
        {
            var result = await mediator.Send(new ListServicesQuery(ns, group, search, native, Infrastructure.Paging.MaxPageSize), ct);
            total = result.Total;
            var offset = (long)(native - 1) * Infrastructure.Paging.MaxPageSize;
            page.AddRange(result.Items.Where((_, i) => offset + i >= skip).Take(pageSize - page.Count));
            if (page.Count >= pageSize || offset + result.Items.Count >= total || result.Items.Count == 0)
            {
                return (total, page);
            }
        }
    }

    private static (int PageNo, int PageSize) Paging(NacosParameters p)
    {
        var pageNo = p.Int("pageNo") ?? 1;
        var pageSize = p.Int("pageSize") ?? 10;
        return pageNo < 1 ? throw NacosException.Invalid("pageNo", "must be at least 1")
            : pageSize < 1 ? throw NacosException.Invalid("pageSize", "must be at least 1")
            : (pageNo, pageSize);
    }

    private static async Task<(NacosParameters P, string Ns, string Group, string Service, Actor Actor)> WriteAsync(HttpContext http, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.NamingNamespace(p);
        var actor = NacosAccess.Demand(http, p, Roles.Write, ns);
        var (group, service) = NacosNames.Service(p);
        return (p, ns, group, service, actor);
    }

    private static NacosException NotFound(string group, string service) =>
        new(StatusCodes.Status400BadRequest, $"service not found: {NacosNames.Grouped(group, service)}");
}
