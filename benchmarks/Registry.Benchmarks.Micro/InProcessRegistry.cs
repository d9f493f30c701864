using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Server.Hosting;
using Registry.Server.Naming;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// The server's services in a generic host, without HTTP: the same registrations as the server (in-memory
/// store), so a benchmark measures the real pipeline of validation, handler and writer.
/// </summary>
internal sealed class InProcessRegistry : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessRegistry(IHost host) => _host = host;

    public IMediator Mediator => _host.Services.GetRequiredService<IMediator>();

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<InProcessRegistry> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registry:Storage:Path"] = ":memory:",
            ["Registry:Naming:UnhealthyAfter"] = "01:00:00",
            ["Registry:Naming:EvictAfter"] = "02:00:00",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRegistry(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessRegistry(host);
    }

    /// <summary>Registers ephemeral instances <c>10.{i/65536}.{i/256}.{i%256}:8080</c> of <paramref name="service"/>; returns their ids.</summary>
    public async Task<string[]> RegisterAsync(string service, int count)
    {
        var ids = new string[count];
        var pending = new List<Task>(1_000);
        for (var i = 0; i < count; i++)
        {
            var index = i;
            pending.Add(Task.Run(async () =>
            {
                var outcome = await Mediator.Send(new RegisterInstanceCommand(
                    "public", "DEFAULT_GROUP", service, $"10.{index / 65536 % 256}.{index / 256 % 256}.{index % 256}", 8080,
                    null, null, null, null, null, null, null, null));
                ids[index] = outcome.Value?.Instance.Id ?? throw new InvalidOperationException(outcome.Failure!.Detail);
            }));
            if (pending.Count == pending.Capacity)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
