using System.Collections.Concurrent;
using System.Net.Http.Json;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Storage;

/// <summary>Acknowledged means durable: every write answered before a SIGKILL is there after a restart.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class KillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill_DuringAcknowledgedWrites_LosesNoneOfThem()
    {
        using var dir = new TempDirectory();
        var acknowledged = new ConcurrentDictionary<string, int>();

        for (var round = 0; round < 3; round++)
        {
            await using (var server = await ServerProcess.StartAsync(dir.Path))
            {
                using var client = server.CreateClient();
                using var writers = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var work = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
                {
                    for (var i = 0; !writers.IsCancellationRequested; i++)
                    {
                        var ip = $"10.{round}.{worker}.{i % 250 + 1}";
                        try
                        {
                            using var response = await client.PutAsJsonAsync("/v1/services/orders/instances",
                                new { ip, port = 8000 + i / 250, weight = round + 1 }, writers.Token);
                            if (response.IsSuccessStatusCode)
                            {
                                var instance = (await response.Content.ReadFromJsonAsync<InstanceInfo>(writers.Token))!;
                                acknowledged[instance.Id] = round + 1;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                        {
                            return;
                        }
                    }
                }, Ct)).ToList();

                // Let the writers run, then kill the server under them, at a moment that differs per round.
                await Task.Delay(TimeSpan.FromMilliseconds(400 + Random.Shared.Next(600)), Ct);
                await server.KillAsync();
                await writers.CancelAsync();
                await Task.WhenAll(work);
            }

            Assert.True(acknowledged.Count > 100 * (round + 1), $"round {round}: only {acknowledged.Count} writes were acknowledged");
            await using (var restarted = await ServerProcess.StartAsync(dir.Path))
            {
                using var client = restarted.CreateClient();
                var list = (await client.GetFromJsonAsync<InstanceList>("/v1/services/orders/instances", Ct))!;
                var stored = list.Instances.ToDictionary(i => i.Id);
                var missing = acknowledged.Keys.Where(id => !stored.ContainsKey(id)).ToList();
                Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged registrations lost, e.g. {missing.FirstOrDefault()}");
                Assert.All(stored.Values, i => Assert.True(i.Weight >= acknowledged.GetValueOrDefault(i.Id)));
            }
        }
    }
}
