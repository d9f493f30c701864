using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

public sealed class ConfigConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_ManyPublishersWithIfMatchOnOneKey_VersionsAreSequentialAndNoUpdateIsLost()
    {
        const int Publishers = 16;
        const int Attempts = 25;
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.properties", "n=0\n", "text/x-java-properties");
        var won = new ConcurrentBag<(long Version, string Content)>();
        var lost = new ConcurrentBag<long>();

        // Each publisher reads the current version, then publishes its own content only if nobody came first.
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(publisher => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                using var current = await client.GetAsync(ConfigApi.Path("app.properties"), Ct);
                var etag = current.Headers.ETag!.Tag;
                var content = $"n={publisher}-{attempt}\n";
                using var response = await client.PutAsync("app.properties", content, "text/x-java-properties", null, ("If-Match", etag));
                if (response.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    var problem = await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
                    lost.Add(problem.GetProperty("currentVersion").GetInt64());
                    continue;
                }

                var published = (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!;
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
                Assert.Equal($"\"{published.Version - 1}\"", etag);
                won.Add((published.Version, content));
            }
        }, Ct)));

        // Every attempt either won or was told it was stale; the winners took versions 2, 3, … without a gap.
        Assert.Equal(Publishers * Attempts, won.Count + lost.Count);
        Assert.Equal(Enumerable.Range(2, won.Count).Select(v => (long)v), won.Select(w => w.Version).Order());
        Assert.All(lost, current => Assert.InRange(current, 2, won.Count + 1));

        // Each success is in the history, with its own content.
        var history = (await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.properties/history", "pageSize=1000"), Ct))!;
        Assert.Equal(won.Count + 1, history.Items.Count);
        foreach (var (version, content) in won)
        {
            Assert.Equal(Md5(content), history.Items.Single(v => v.Version == version).Md5);
            Assert.Equal(content, (await client.ReadAsync("app.properties", $"version={version}")).Content);
        }
    }

#pragma warning disable CA5351 // The config center identifies content by MD5, as Nacos does.
    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351
}
