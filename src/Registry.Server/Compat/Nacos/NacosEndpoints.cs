namespace Registry.Server.Compat.Nacos;

/// <summary>
/// The Nacos Open API v1 under <c>/nacos</c>, so Nacos clients can use the registry. A thin adapter: every
/// call maps its parameters onto the native use cases. Left out of the OpenAPI document, which describes
/// the native API only.
/// </summary>
internal static class NacosEndpoints
{
    public static IEndpointRouteBuilder MapNacos(this IEndpointRouteBuilder app)
    {
        var nacos = app.MapGroup("/nacos/v1").ExcludeFromDescription().AddEndpointFilter<NacosErrorFilter>();

        var instance = nacos.MapGroup("/ns/instance");
        instance.MapPost("", NacosInstances.Register);
        instance.MapDelete("", NacosInstances.Deregister);
        instance.MapPut("", NacosInstances.Update);
        instance.MapPatch("", NacosInstances.Update);
        instance.MapGet("", NacosInstances.Detail);
        instance.MapGet("/list", NacosInstances.List);
        instance.MapPut("/beat", NacosInstances.Beat);

        var service = nacos.MapGroup("/ns/service");
        service.MapPost("", NacosServices.Create);
        service.MapPut("", NacosServices.Update);
        service.MapDelete("", NacosServices.Delete);
        service.MapGet("", NacosServices.Detail);
        service.MapGet("/list", NacosServices.List);
        nacos.MapGet("/ns/catalog/services", NacosServices.Catalog);
        nacos.MapGet("/ns/catalog/instances", NacosServices.CatalogInstances);
        nacos.MapGet("/ns/operator/metrics", NacosServices.Metrics);

        var namespaces = nacos.MapGroup("/console/namespaces");
        namespaces.MapGet("", NacosNamespaces.List);
        namespaces.MapPost("", NacosNamespaces.Create);
        namespaces.MapPut("", NacosNamespaces.Update);
        namespaces.MapDelete("", NacosNamespaces.Delete);

        var configs = nacos.MapGroup("/cs/configs");
        configs.MapGet("", NacosConfigs.Get);
        configs.MapPost("", NacosConfigs.Publish);
        configs.MapDelete("", NacosConfigs.Delete);
        configs.MapPost("/listener", NacosListener.Listen);
        nacos.MapGet("/cs/history", NacosConfigs.History);

        nacos.MapPost("/auth/login", NacosAccess.Login);
        nacos.MapPost("/auth/users/login", NacosAccess.Login);
        return app;
    }
}
