using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Storage;

namespace Registry.Server.Tests;

/// <summary>
/// The server in memory with a fake clock: its own in-memory store unless a file is given (restart tests),
/// any configuration a test needs, and optionally a decorated store (to make its disk fail).
/// </summary>
internal sealed class RegistryApp(
    FakeTimeProvider? time = null,
    string storagePath = ":memory:",
    IReadOnlyDictionary<string, string?>? settings = null,
    Func<IRegistryStore, IRegistryStore>? wrapStore = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly TaskCompletionSource _storeClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _storeOpened;

    public FakeTimeProvider Time { get; } = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Returns once the store is closed too. With minimal hosting the app's own thread may still be disposing
    /// the services when the factory's dispose returns; a restart test must not open the file before that.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_storeOpened)
        {
            await _storeClosed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

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

        builder.ConfigureServices(collection =>
        {
            collection.AddSingleton<TimeProvider>(Time);
            collection.AddSingleton<IRegistryStore>(provider =>
            {
                var store = new LiteDbStore(provider.GetRequiredService<IOptions<StorageOptions>>(), NullLogger<LiteDbStore>.Instance);
                _storeOpened = true;
                return new ClosingStore(wrapStore?.Invoke(store) ?? store, _storeClosed);
            });
            services?.Invoke(collection);
        });
    }

    private sealed class ClosingStore(IRegistryStore inner, TaskCompletionSource closed) : IRegistryStore
    {
        public long LastRevision => inner.LastRevision;

        public byte[]? Get(string collection, string key) => inner.Get(collection, key);

        public IEnumerable<StoredDocument> Scan(string collection, string prefix = "") => inner.Scan(collection, prefix);

        public IEnumerable<StoredDocument> ScanDescending(string collection) => inner.ScanDescending(collection);

        public void Commit(StoreBatch batch) => inner.Commit(batch);

        public string? Probe() => inner.Probe();

        public void Backup(string path) => inner.Backup(path);

        public void Dispose()
        {
            inner.Dispose();
            closed.TrySetResult();
        }
    }
}
