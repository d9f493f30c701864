using Registry.Samples.Orders;

var builder = WebApplication.CreateBuilder(args);

// Orders:Greeting and Orders:Discount come from the registry's config item orders.json (server, token,
// namespace and group from Registry:Client). Optional: the app starts while the registry is down or the
// item is unpublished, and the values arrive once they can. A publish reloads them without a restart.
builder.Configuration.AddRegistryConfig("orders.json", o => o.Optional = true);

// Registers this instance as Registry:Client:Registration:Service (`orders`), beats, deregisters on stop.
builder.Services.AddRegistryClient();
builder.Services.AddOptions<OrdersSettings>().BindConfiguration(OrdersSettings.Section);

// The app's health checks decide its health in the registry (an Unhealthy check takes it out of `pick` within a
// beat); the registry check reports (Degraded) whether it is registered, the registry reachable, orders.json current.
builder.Services.AddHealthChecks().AddRegistryHealthCheck();

var app = builder.Build();
app.MapOrders();
app.MapHealthChecks("/healthz");
app.Run();
