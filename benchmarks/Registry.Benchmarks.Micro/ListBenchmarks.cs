using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Registry.Contracts;
using Registry.Server.Naming;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// Listing a 10-instance service: through the mediator, where the JSON is rendered once per revision and
/// reused, and the rendering itself, which a change to the service costs once.
/// </summary>
[MemoryDiagnoser]
public class ListBenchmarks
{
    private static readonly ServiceKey Service = new("public", "DEFAULT_GROUP", "list");
    private static readonly InstanceFilter Healthy = new(true, "", null);
    private InProcessRegistry _registry = null!;
    private ServiceView _view = null!;
    private LeasePolicy _leases = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        _registry = await InProcessRegistry.StartAsync();
        await _registry.RegisterAsync(Service.Name, 10);
        _view = _registry.Get<ServiceTable>().Find(Service)!;
        _leases = _registry.Get<LeasePolicy>();
    }

    [GlobalCleanup]
    public async Task CleanUp() => await _registry.DisposeAsync();

    [Benchmark(Baseline = true)]
    public async ValueTask<byte[]> ListHealthy() =>
        await _registry.Mediator.Send(new ListInstancesQuery(Service.Namespace, Service.Group, Service.Name, true, null, null));

    [Benchmark]
    public byte[] RenderList() =>
        JsonSerializer.SerializeToUtf8Bytes(InstanceSelection.ToList(_view, Healthy, _leases), RegistryJsonContext.Default.InstanceList);
}
