using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Registry.Server.Tests;

/// <summary>
/// The server in memory with a fake clock: its own in-memory store unless a file is given (restart tests),
/// and any configuration a test needs.
/// </summary>
internal sealed class RegistryApp(
    FakeTimeProvider? time = null,
    string storagePath = ":memory:",
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public FakeTimeProvider Time { get; } = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Registry:Storage:Path", storagePath);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(collection =>
        {
            collection.AddSingleton<TimeProvider>(Time);
            services?.Invoke(collection);
        });
    }
}
