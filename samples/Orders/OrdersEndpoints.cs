using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Registry.Samples.Orders;

internal static class OrdersEndpoints
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/orders").MapGet("/hello", Hello).WithName(nameof(Hello));
        return app;
    }

    /// <summary>Which instance answered, with the settings as they are now (IOptionsMonitor sees every publish).</summary>
    internal static Ok<OrdersHello> Hello(HttpContext context, IOptionsMonitor<OrdersSettings> settings)
    {
        var current = settings.CurrentValue;
        var instance = current.InstanceName is { Length: > 0 } name
            ? name
            : $"{Environment.MachineName}:{context.Connection.LocalPort}";
        return TypedResults.Ok(new OrdersHello(instance, current.Greeting, current.Discount));
    }
}

internal sealed record OrdersHello(string Instance, string Greeting, decimal Discount);
