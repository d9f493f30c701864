using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Registry.Server.Storage;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Fuzz;

public sealed class FuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Thousands of random and malformed requests to every route: never a 5xx, the server stays healthy, and no
    /// refused request changes anything — every change takes a revision, so a refused request must leave the
    /// revision where it was; and what was stored before is still there.
    /// </summary>
    [Fact]
    public async Task RandomRequests_NeverFailTheServerOrChangeDataWhenRefused()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("REGISTRY_FUZZ_SEED") ?? "20261125", CultureInfo.InvariantCulture);
        var count = int.Parse(Environment.GetEnvironmentVariable("REGISTRY_FUZZ_REQUESTS") ?? "3000", CultureInfo.InvariantCulture);
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Limits:RateLimitEnabled"] = "false" });
        using var client = app.CreateClient();
        var seeded = await SeedAsync(client);
        var committer = app.Service<Committer>();
        var fuzzer = new RequestFuzzer(seed);
        var failures = new List<string>();

        for (var i = 0; i < count; i++)
        {
            using var request = fuzzer.Next();
            var description = $"#{i} {request.Method} {request.RequestUri}";
            var before = committer.Revision;
            var status = await SendAsync(client, request);
            if (status >= 500)
            {
                failures.Add($"{description} -> {status}");
            }
            else if (status >= 400 && committer.Revision != before)
            {
                failures.Add($"{description} -> {status} but the revision moved from {before} to {committer.Revision}");
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers:\n{string.Join('\n', failures.Take(20))}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
        Assert.Equal(seeded, await SnapshotAsync(client));
    }

    /// <summary>Sends and returns the status; streams and long polls are left once their headers arrive.</summary>
    private static async Task<int> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // A valid long poll waits on the fake clock: that is an answer in the making, not a failure.
            return request.RequestUri!.OriginalString.Contains("waitAfterVersion", StringComparison.Ordinal) ? 304 : 599;
        }
    }

    /// <summary>Data the fuzzer cannot reach with a valid request: it lives in a namespace it never names.</summary>
    private static async Task<string> SeedAsync(HttpClient client)
    {
        (await client.PutAsync("/v1/namespaces/kept", null, Ct)).EnsureSuccessStatusCode();
        await client.RegisterAsync("seed", new { ip = "10.9.0.1", port = 80, metadata = new { zone = "a" } }, "namespace=kept");
        await client.RegisterAsync("seed", new { ip = "10.9.0.2", port = 80, ephemeral = false }, "namespace=kept");
        await client.PublishAsync("seed.yaml", "a: 1\n", query: "namespace=kept");
        await client.PublishAsync("seed.yaml", "a: 2\n", query: "namespace=kept");
        await client.PutMetadataAsync("seed", new { tags = new[] { "v1" } }, "namespace=kept");
        return await SnapshotAsync(client);
    }

    private static async Task<string> SnapshotAsync(HttpClient client) => string.Join('\n',
        await client.GetStringAsync("/v1/services/seed/instances?namespace=kept", Ct),
        await client.GetStringAsync("/v1/configs/seed.yaml?namespace=kept", Ct),
        await client.GetStringAsync("/v1/configs/seed.yaml/history?namespace=kept", Ct),
        await client.GetStringAsync("/v1/services/seed/metadata?namespace=kept", Ct),
        await client.GetStringAsync("/v1/services/seed/metadata/history?namespace=kept", Ct));
}
