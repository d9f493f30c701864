using Microsoft.Extensions.Options;
using Registry.Server.AdminConsole;
using Registry.Server.Audit;
using Registry.Server.Backups;
using Registry.Server.Compat.Eureka;
using Registry.Server.Compat.Nacos;
using Registry.Server.Config;
using Registry.Server.Health;
using Registry.Server.Hosting;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Metadata;
using Registry.Server.Metrics;
using Registry.Server.Namespaces;
using Registry.Server.Naming;
using Registry.Server.Security;

if (ServerCommands.TryRun(args) is { } exitCode)
{
    return exitCode;
}

var started = false;
try
{
    // The content root is where the binary and its appsettings.json are, whatever the working directory is
    // (the data directory is relative to the working directory).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.UseDefaultUrl();

    // A start that fails (a port in use) is said in one line below; the host would log it first with a stack trace.
    // A background service that stops the host still shows: that is logged as critical.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    BindingPolicy.Enforce(builder.Configuration);
    builder.Services.AddRegistry(builder.Configuration);

    // Disposed at the end: that folds the journal into the data file and closes it.
    await using var app = builder.Build();

    // Invalid options and data files the server cannot use stop the start here, for the one line below, before the
    // host would log them with a stack trace.
    app.Services.GetService<IStartupValidator>()?.Validate();
    app.Services.GetRequiredService<IChangeLog>();
    app.Services.GetRequiredService<ConnectionGate>();
    app.UseRegistryMetrics();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRegistryOpenApi();
    app.UseRegistryAuth();
    app.UseRateLimiter();
    app.UseClusterReads();
    app.UseBodyLimits();

    app.MapRegistryOpenApi();
    app.MapHealth();
    app.MapRegistryMetrics();
    app.MapNamespaces();
    app.MapNaming();
    app.MapConfig();
    app.MapGrayConfig();
    app.MapMetadata();
    app.MapConsole();
    app.MapTokens();
    app.MapAudit();
    app.MapBackups();
    app.MapNacos();
    app.MapEureka();

    await app.StartAsync();
    started = true;
    StartupBanner.Log(app);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (!started && ex is not HostAbortedException)
{
    // A refusal to start is the operator's to fix: say what and why. Only a failure nobody foresaw needs the
    // stack trace. (Test hosts stop the program after building it, with HostAbortedException.)
    var foreseen = ex is StartupException or OptionsValidationException or InvalidOperationException or IOException;
    var advice = ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
        ? " Another process listens there (another Registry?): stop it, or choose another address with --urls."
        : "";
    await Console.Error.WriteLineAsync($"Registry cannot start: {ex.Message}{advice}{(foreseen ? "" : Environment.NewLine + ex)}");
    return 1;
}

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
