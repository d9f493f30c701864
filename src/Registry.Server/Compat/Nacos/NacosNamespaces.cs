using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Namespaces;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// <c>/nacos/v1/console/namespaces</c> over the native namespace use cases. Nacos's public namespace has the
/// empty id; it is the registry's <c>public</c>, always listed first.
/// </summary>
internal static class NacosNamespaces
{
    private const int Quota = 200;

    /// <summary>
    /// Sends a write, creating its namespace when the write finds none: Nacos clients write to any
    /// namespace id without creating it first (the Node client's default is <c>default</c>). Values the
    /// native validators refuse never get this far, so a refused write creates nothing.
    /// </summary>
    public static async Task<Outcome<T>> CreatingNamespaceAsync<T>(
        IMediator mediator, string ns, Actor actor, Func<ValueTask<Outcome<T>>> send, CancellationToken ct)
    {
        var outcome = await send();
        if (outcome.Failure is { Code: "namespace-not-found" })
        {
            await mediator.Send(new PutNamespaceCommand(ns, null, "Created on first use by a Nacos client.", actor), ct);
            outcome = await send();
        }

        return outcome;
    }

    public static async Task<IResult> List(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        if (p.Bool("checkNamespaceIdExist") == true)
        {
            NacosAccess.Demand(http, p, Roles.Read, ns: null);
            var id = p.Required("customNamespaceId");
            var exists = (await mediator.Send(new GetNamespaceQuery(id), ct)).Failure is null;
            return NacosResults.Raw(exists ? "true" : "false", NacosResults.JsonType);
        }

        if (p["show"] == "all")
        {
            var ns = NacosNames.Namespace(p["namespaceId"]);
            NacosAccess.Demand(http, p, Roles.Read, ns);
            var one = (await mediator.Send(new GetNamespaceQuery(ns), ct)).OrThrow();
            return NacosResults.Json(ToNacos(one, one.ConfigCount), NacosJson.Default.NacosNamespace);
        }

        NacosAccess.Demand(http, p, Roles.Read, ns: null);
        var page = await mediator.Send(new ListNamespacesQuery(null, 1, Paging.MaxPageSize, NacosAccess.Visible(http, p)), ct);
        var items = new List<NacosNamespace>();
        foreach (var info in page.Items.OrderBy(static n => n.Id == NameRules.DefaultNamespace ? 0 : 1))
        {
            items.Add(ToNacos(info, info.ConfigCount));
        }

        return NacosResults.Json(new NacosNamespaceList(200, null, items), NacosJson.Default.NacosNamespaceList);
    }

    public static async Task<IResult> Create(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = p["customNamespaceId"] is { Length: > 0 } custom ? custom : Guid.NewGuid().ToString();
        var actor = NacosAccess.Demand(http, p, Roles.Admin, ns);
        var name = p.Required("namespaceName");
        if ((await mediator.Send(new GetNamespaceQuery(ns), ct)).Failure is null)
        {
            throw new NacosException(StatusCodes.Status400BadRequest, $"the namespaceId [{ns}] already exist");
        }

        await mediator.Send(new PutNamespaceCommand(ns, name, p["namespaceDesc"] ?? "", actor), ct);
        return NacosResults.True;
    }

    public static async Task<IResult> Update(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.Namespace(p.Required("namespace"));
        var actor = NacosAccess.Demand(http, p, Roles.Admin, ns);
        (await mediator.Send(new GetNamespaceQuery(ns), ct)).OrThrow();
        await mediator.Send(new PutNamespaceCommand(ns, p.Required("namespaceShowName"), p["namespaceDesc"], actor), ct);
        return NacosResults.True;
    }

    public static async Task<IResult> Delete(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var ns = NacosNames.Namespace(p.Required("namespaceId"));
        var actor = NacosAccess.Demand(http, p, Roles.Admin, ns);
        (await mediator.Send(new DeleteNamespaceCommand(ns, actor), ct)).OrThrow();
        return NacosResults.True;
    }

    private static NacosNamespace ToNacos(Contracts.Naming.NamespaceInfo info, int configs) => new(
        NacosNames.NacosNamespace(info.Id), info.DisplayName, info.Description, Quota, configs,
        info.Id == NameRules.DefaultNamespace ? 0 : 2);
}
