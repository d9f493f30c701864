using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Registry.Server.Log;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Fuzz;

public sealed partial class FuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Thousands of random and malformed requests to every route of every surface: never a 5xx, the server stays
    /// healthy, and no refused request changes anything — every change takes a revision, so a refused request
    /// must leave the revision where it was; and the data kept in <see cref="RequestFuzzer.KeptNamespace"/>,
    /// which a quarter of the requests aim at, reads the same after each refused one as before it.
    /// </summary>
    [Fact]
    public async Task RandomRequests_NeverFailTheServerOrChangeDataWhenRefused()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("REGISTRY_FUZZ_SEED") ?? "20261125", CultureInfo.InvariantCulture);
        var count = int.Parse(Environment.GetEnvironmentVariable("REGISTRY_FUZZ_REQUESTS") ?? "3000", CultureInfo.InvariantCulture);
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Limits:RateLimitEnabled"] = "false" });
        using var client = app.CreateClient();
        var kept = await SeedAsync(client);
        var committer = app.Service<IChangeLog>();
        var fuzzer = new RequestFuzzer(seed);
        var failures = new List<string>();
        var refusedAtKept = 0;

        for (var i = 0; i < count; i++)
        {
            using var request = fuzzer.Next();
            var description = $"#{i} {request.Method} {request.RequestUri}";
            var aimsAtKept = await AimsAtKeptAsync(request);
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
            else if (status >= 400 && aimsAtKept)
            {
                refusedAtKept++;
                if (await SnapshotAsync(client) != kept)
                {
                    failures.Add($"{description} -> {status} but the kept data changed");
                    kept = await SnapshotAsync(client);
                }
            }
            else if (committer.Revision != before)
            {
                // A valid change may touch the kept data too; what it leaves is what later refusals must keep.
                kept = await SnapshotAsync(client);
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(refusedAtKept >= count / 20, $"only {refusedAtKept} refused requests aimed at the kept data");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
    }

    private static async Task<bool> AimsAtKeptAsync(HttpRequestMessage request) =>
        request.RequestUri!.OriginalString.Contains("=" + RequestFuzzer.KeptNamespace, StringComparison.Ordinal)
        || request.Content is FormUrlEncodedContent form
            && (await form.ReadAsStringAsync(Ct)).Contains("=" + RequestFuzzer.KeptNamespace, StringComparison.Ordinal);

    /// <summary>
    /// Sends and returns the status; streams are left once their headers arrive. A valid long poll waits on the
    /// fake clock, which the fuzzer never moves: it is given a moment to refuse, then counts as an answer in the
    /// making. Any other request may take as long as a busy machine needs.
    /// </summary>
    private static async Task<int> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var longPoll = request.RequestUri!.OriginalString.Contains("waitAfterVersion", StringComparison.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(longPoll ? 5 : 60));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return longPoll ? 304 : 599;
        }
    }

    /// <summary>Data in the kept namespace, under the names the fuzzer uses (service and data id <c>seed</c>).</summary>
    private static async Task<string> SeedAsync(HttpClient client)
    {
        const string Kept = "namespace=" + RequestFuzzer.KeptNamespace;
        (await client.PutAsync("/v1/namespaces/" + RequestFuzzer.KeptNamespace, null, Ct)).EnsureSuccessStatusCode();
        await client.RegisterAsync("seed", new { ip = "10.9.0.1", port = 80, metadata = new { zone = "a" } }, Kept);
        await client.RegisterAsync("seed", new { ip = "10.9.0.2", port = 80, ephemeral = false }, Kept);
        await client.PublishAsync("seed", "a: 1\n", query: Kept);
        await client.PublishAsync("seed.yaml", "a: 2\n", query: Kept);
        await client.PutMetadataAsync("seed", new { tags = new[] { "v1" } }, Kept);
        return await SnapshotAsync(client);
    }

    private static async Task<string> SnapshotAsync(HttpClient client)
    {
        const string Kept = "?namespace=" + RequestFuzzer.KeptNamespace;
        var parts = new List<string>();
        foreach (var path in new[]
        {
            "/v1/services/seed/instances", "/v1/services/seed", "/v1/configs/seed", "/v1/configs/seed/history",
            "/v1/configs/seed.yaml", "/v1/configs/seed.yaml/history", "/v1/services/seed/metadata",
            "/v1/services/seed/metadata/history", "/v1/namespaces/" + RequestFuzzer.KeptNamespace,
        })
        {
            using var response = await client.GetAsync(path + Kept, Ct);
            parts.Add($"{(int)response.StatusCode} {TraceId().Replace(await response.Content.ReadAsStringAsync(Ct), "")}");
        }

        return string.Join('\n', parts);
    }

    /// <summary>A problem's trace id differs on every request.</summary>
    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
