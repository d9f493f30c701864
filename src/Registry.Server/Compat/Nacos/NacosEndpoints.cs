using Registry.Server.Infrastructure;

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
        instance.MapPost("", NacosInstances.Register).RateLimitedWrite();
        instance.MapDelete("", NacosInstances.Deregister).RateLimitedWrite();
        instance.MapPut("", NacosInstances.Update).RateLimitedWrite();
        instance.MapPatch("", NacosInstances.Update).RateLimitedWrite();
        instance.MapGet("", NacosInstances.Detail);
        instance.MapGet("/list", NacosInstances.List);
        // A full beat registers an unknown instance, so beats count as writes here (unlike native heartbeats).
        instance.MapPut("/beat", NacosBeat.Beat).RateLimitedWrite();

        var service = nacos.MapGroup("/ns/service");
        service.MapPost("", NacosServices.Create).RateLimitedWrite();
        service.MapPut("", NacosServices.Update).RateLimitedWrite();
        service.MapDelete("", NacosServices.Delete).RateLimitedWrite();
        service.MapGet("", NacosServices.Detail);
        service.MapGet("/list", NacosServices.List);
        nacos.MapGet("/ns/catalog/services", NacosServices.Catalog);
        nacos.MapGet("/ns/catalog/instances", NacosServices.CatalogInstances);
        nacos.MapGet("/ns/operator/metrics", NacosServices.Metrics);
        nacos.MapPut("/ns/health/instance", NacosInstances.SetHealth).RateLimitedWrite();

        var namespaces = nacos.MapGroup("/console/namespaces");
        namespaces.MapGet("", NacosNamespaces.List);
        namespaces.MapPost("", NacosNamespaces.Create).RateLimitedWrite();
        namespaces.MapPut("", NacosNamespaces.Update).RateLimitedWrite();
        namespaces.MapDelete("", NacosNamespaces.Delete).RateLimitedWrite();

        var configs = nacos.MapGroup("/cs/configs");
        configs.MapGet("", NacosConfigs.Get);
        // A form-encoded document is up to three times its size; the content limit itself is checked on publish.
        configs.MapPost("", NacosConfigs.Publish).RateLimitedWrite().WithBodyLimit(static _ => NacosParameters.MaxFormBytes);
        configs.MapDelete("", NacosConfigs.Delete).RateLimitedWrite();
        configs.MapPost("/listener", NacosListener.Listen).WithBodyLimit(static _ => NacosParameters.MaxFormBytes);
        nacos.MapGet("/cs/history", NacosHistory.Search);
        nacos.MapGet("/cs/history/previous", NacosHistory.Previous);
        nacos.MapGet("/cs/history/configs", NacosHistory.Configs);

        nacos.MapPost("/auth/login", NacosAccess.Login);
        nacos.MapPost("/auth/users/login", NacosAccess.Login);
        return app;
    }
}
