using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Registry.Server.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Storage;

namespace Registry.Server.Tests;

/// <summary>
/// The server in memory with a fake clock: its own in-memory store unless a file is given (restart tests),
/// any configuration a test needs, and optionally disk faults (to make its writes fail).
/// </summary>
internal sealed class RegistryApp(
    FakeTimeProvider? time = null,
    string storagePath = ":memory:",
    IReadOnlyDictionary<string, string?>? settings = null,
    IDiskFaults? faults = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{

    public FakeTimeProvider Time { get; } = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Returns once the data file is closed too. With minimal hosting the app's own thread may still be disposing
    /// the services when the factory's dispose returns; a restart test must not open the file before that, and the
    /// server's lock on it says when it is done.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (storagePath != ":memory:")
        {
            var lockFile = StorageOptions.LockFile(Path.GetFullPath(storagePath));
            await Eventually.TrueAsync(() => IsFree(lockFile), "done with the data file");
        }
    }

    private static bool IsFree(string lockFile)
    {
        try
        {
            using var _ = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Serves on a real loopback socket at a free port, for tests that need one. Not <c>UseKestrel(0)</c>: that sets the
    /// port after the app's own thread may have bound its addresses, a race the test can lose; the port is asked for as
    /// the app's <c>urls</c> setting instead, before it starts.
    /// </summary>
    public void StartOnKestrel()
    {
        _onKestrel = true;
        UseKestrel();
        StartServer();
    }

    private bool _onKestrel;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Registry:Storage:Path", storagePath);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // Naming events wait out the coalescing window on the fake clock; tests that are not about it turn it off.
        builder.UseSetting("Registry:Events:CoalesceWindow", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (_onKestrel)
        {
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        }

        builder.ConfigureServices(collection =>
        {
            collection.AddSingleton<TimeProvider>(Time);

            // Many servers share the test process and its allocation counter: none gives memory back for the others.
            foreach (var trimmer in collection.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MemoryTrimmer)).ToList())
            {
                collection.Remove(trimmer);
            }
            if (faults is not null)
            {
                collection.AddSingleton(faults);
            }

            services?.Invoke(collection);
        });
    }
}
