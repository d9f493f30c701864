using System.Net;

namespace Registry.Server.Tests.Hosting;

/// <summary>A read that asks for a revision is answered once the node has applied it, and never waits unbounded.</summary>
public sealed class ClusterReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_MinRevisionApplied_IsAnsweredAtOnce()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var registered = await client.RegisterAsync("orders", "10.0.0.1");

        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Instances("orders"))
        {
            Headers = { { "X-Registry-Min-Revision", registered.Revision.ToString() } },
        };
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Registry-Stale"));
    }

    [Fact]
    public async Task Read_MinRevisionNeverReached_Is503RevisionNotReachedAfterTheWait()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Instances("orders"))
        {
            Headers = { { "X-Registry-Min-Revision", "1000000" } },
        };

        var answer = client.SendAsync(request, Ct);
        await Eventually.TrueAsync(() =>
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            return answer.IsCompleted;
        }, "the wait to end");

        using var response = await answer;
        Assert.Equal("revision-not-reached", (await response.ProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("latest")]
    public async Task Read_MinRevisionNotARevision_Is400NamingTheHeader(string value)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Instances("orders"));
        request.Headers.TryAddWithoutValidation("X-Registry-Min-Revision", value);

        using var response = await client.SendAsync(request, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("X-Registry-Min-Revision"));
    }
}
