using Registry.Samples.Orders;

var builder = WebApplication.CreateBuilder(args);

// Orders:Greeting and Orders:Discount come from the registry's config item orders.json (server, token,
// namespace and group from Registry:Client). Optional: the app starts while the registry is down or the
// item is unpublished, and the values arrive once they can. A publish reloads them without a restart.
builder.Configuration.AddRegistryConfig("orders.json", o => o.Optional = true);

// Registers this instance as Registry:Client:Registration:Service (`orders`), beats, deregisters on stop.
builder.Services.AddRegistryClient();
builder.Services.AddOptions<OrdersSettings>().BindConfiguration(OrdersSettings.Section);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapOrders();
app.MapHealthChecks("/healthz");
app.Run();
