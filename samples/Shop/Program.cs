using Registry.Samples.Shop;

var builder = WebApplication.CreateBuilder(args);

// http://orders resolves to the healthy instances of `orders` in Registry, each listed in proportion to its
// weight, and follows the registry's watch; with none available a call fails with NoInstanceAvailableException
// (502 from /shop/buy). Shop only resolves: Registry:Client:Registration:Service is empty.
builder.Services.AddServiceDiscovery();
builder.Services.AddRegistryServiceEndpointProvider();
builder.Services.AddHttpClient<OrdersClient>("orders", http =>
    {
        http.BaseAddress = new("http://orders");
        http.Timeout = TimeSpan.FromSeconds(5);
    })
    .AddServiceDiscovery();
// /healthz says Degraded, with why, while the registry is unreachable.
builder.Services.AddHealthChecks().AddRegistryHealthCheck();

var app = builder.Build();
app.MapShop();
app.MapHealthChecks("/healthz");
app.Run();
