using Registry.Server.Config;
using Registry.Server.Health;
using Registry.Server.Metadata;
using Registry.Server.Infrastructure;
using Registry.Server.Namespaces;
using Registry.Server.Naming;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrl();
builder.Services.AddRegistry();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRegistryOpenApi();

app.MapHealth();
app.MapNamespaces();
app.MapNaming();
app.MapMetadata();
app.MapConfig();

app.Run();

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
