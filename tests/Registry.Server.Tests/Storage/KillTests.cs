using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts.Config;
using Registry.Contracts.Metadata;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// Acknowledged means durable: the real server is killed with SIGKILL at a random moment while writers make
/// registrations, config publishes and metadata changes; after a restart every acknowledged write is there.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class KillTests
{
    private const int Rounds = 4;
    private const int Writers = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task Kill_DuringAcknowledgedWrites_LosesNoneOfThem() => KillAndVerifyAsync();

    /// <summary>A journal this small is checkpointed every few hundred writes: kills land before, during and after checkpoints.</summary>
    [Fact]
    public Task Kill_WhileTheJournalIsCheckpointedOften_LosesNoneOfThem() =>
        KillAndVerifyAsync("--Registry:Storage:JournalCheckpointBytes=65536");

    private static async Task KillAndVerifyAsync(params string[] arguments)
    {
        using var dir = new TempDirectory();
        var instances = new ConcurrentDictionary<string, bool>();
        var configs = new ConcurrentDictionary<string, (long Version, string Content)>();
        var metadata = new ConcurrentDictionary<string, (long Version, string Tag)>();

        for (var round = 0; round < Rounds; round++)
        {
            await using (var server = await ServerProcess.StartAsync(dir.Path, arguments))
            {
                using var client = server.CreateClient();
                using var writers = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var work = Enumerable.Range(0, Writers)
                    .Select(worker => Task.Run(() => WriteAsync(client, round, worker, instances, configs, metadata, writers.Token), Ct))
                    .ToList();

                // Once writes flow, kill the server under the writers at a moment that differs per round.
                var target = 30 * (round + 1);
                for (var waited = 0; instances.Count < target && waited < 30_000; waited += 10)
                {
                    await Task.Delay(10, Ct);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(500)), Ct);
                await server.KillAsync();
                await writers.CancelAsync();
                await Task.WhenAll(work);
            }

            await using var restarted = await ServerProcess.StartAsync(dir.Path, arguments);
            using var check = restarted.CreateClient();
            await VerifyAsync(check, round, instances, configs, metadata);
        }
    }

    private static async Task WriteAsync(
        HttpClient client, int round, int worker,
        ConcurrentDictionary<string, bool> instances,
        ConcurrentDictionary<string, (long Version, string Content)> configs,
        ConcurrentDictionary<string, (long Version, string Tag)> metadata,
        CancellationToken cancellationToken)
    {
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                switch (i % 3)
                {
                    case 0:
                        var ip = $"10.{round}.{worker}.{i / 3 % 250 + 1}";
                        using (var response = await client.PutAsJsonAsync("/v1/services/orders/instances",
                            new { ip, port = 8000 + i / 750 }, cancellationToken))
                        {
                            if (response.IsSuccessStatusCode)
                            {
                                instances[(await response.Content.ReadFromJsonAsync<InstanceInfo>(cancellationToken))!.Id] = true;
                            }
                        }

                        break;
                    case 1:
                        var dataId = $"w{worker}.yaml";
                        var content = $"round: {round}\nwrite: {i}\n";
                        using (var body = new StringContent(content, Encoding.UTF8, "application/yaml"))
                        using (var response = await client.PutAsync(new Uri($"/v1/configs/{dataId}", UriKind.Relative), body, cancellationToken))
                        {
                            if (response.IsSuccessStatusCode)
                            {
                                var config = (await response.Content.ReadFromJsonAsync<ConfigInfo>(cancellationToken))!;
                                configs[dataId] = (config.Version, content);
                            }
                        }

                        break;
                    default:
                        var service = $"svc{worker}";
                        var tag = $"r{round}-w{i}";
                        using (var response = await client.PutAsJsonAsync($"/v1/services/{service}/metadata", new { tags = new[] { tag } }, cancellationToken))
                        {
                            if (response.IsSuccessStatusCode)
                            {
                                metadata[service] = ((await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(cancellationToken))!.Version, tag);
                            }
                        }

                        break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                return;
            }
        }
    }

    private static async Task VerifyAsync(
        HttpClient client, int round,
        ConcurrentDictionary<string, bool> instances,
        ConcurrentDictionary<string, (long Version, string Content)> configs,
        ConcurrentDictionary<string, (long Version, string Tag)> metadata)
    {
        Assert.True(instances.Count >= 30 * (round + 1), $"round {round}: only {instances.Count} registrations were acknowledged");
        var stored = (await client.GetFromJsonAsync<InstanceList>("/v1/services/orders/instances", Ct))!.Instances.Select(i => i.Id).ToHashSet();
        var missing = instances.Keys.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged registrations lost, e.g. {missing.FirstOrDefault()}");

        foreach (var (dataId, (version, content)) in configs)
        {
            var read = await client.GetStringAsync(new Uri($"/v1/configs/{dataId}?version={version}", UriKind.Relative), Ct);
            Assert.True(content == read, $"round {round}: {dataId} version {version} should be '{content}', is '{read}'");
        }

        foreach (var (service, (version, tag)) in metadata)
        {
            var current = (await client.GetFromJsonAsync<ServiceMetadataInfo>(new Uri($"/v1/services/{service}/metadata", UriKind.Relative), Ct))!;
            Assert.True(current.Version >= version, $"round {round}: {service} metadata at version {current.Version}, {version} was acknowledged");
            if (current.Version == version)
            {
                Assert.Equal([tag], current.Tags);
            }
        }
    }
}
