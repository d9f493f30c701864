using System.Net;
using System.Net.Http.Json;
using Registry.Server.Tests.Storage;

namespace Registry.Server.Tests.Infrastructure;

public sealed class ErrorHandlingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/nope")]
    [InlineData("/v1/services/orders/instances/x/y/z")]
    [InlineData("/v2/services")]
    public async Task UnknownRoute_Returns404Problem(string path)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/v1/services/a%20b")]
    [InlineData("PUT", "/v1/services/a%20b")]
    [InlineData("DELETE", "/v1/services/a%20b")]
    [InlineData("GET", "/v1/services/a%20b/instances")]
    [InlineData("PUT", "/v1/services/a%20b/instances")]
    [InlineData("GET", "/v1/services/a%20b/instances/pick")]
    [InlineData("GET", "/v1/services/a%20b/instances/x")]
    [InlineData("PATCH", "/v1/services/a%20b/instances/x")]
    [InlineData("DELETE", "/v1/services/a%20b/instances/x")]
    [InlineData("PUT", "/v1/services/a%20b/instances/x/heartbeat")]
    [InlineData("GET", "/v1/namespaces/a%20b")]
    [InlineData("PUT", "/v1/namespaces/a%20b")]
    [InlineData("DELETE", "/v1/namespaces/a%20b")]
    [InlineData("GET", "/v1/services?namespace=a%20b")]
    public async Task EveryRoute_BadName_Returns400ProblemNamingTheField(string method, string path)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "PATCH")
        {
            request.Content = Naming.RegisterInstanceTests.Json("""{"ip":"10.0.0.1","port":80}""");
        }

        using var response = await client.SendAsync(request, Ct);

        var problem = await response.ProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.True(problem.Errors("service").Length + problem.Errors("namespace").Length > 0, problem.ToString());
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/services/orders/instances", null, Ct);

        await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Write_WhenTheStoreFails_Returns503ChangesNothingAndKeepsReadsWorking()
    {
        FlakyStore? flaky = null;
        await using var app = new RegistryApp(wrapStore: store => flaky = new FlakyStore(store));
        using var client = app.CreateClient();
        Assert.NotNull(flaky);
        var kept = await client.RegisterAsync("orders", "10.0.0.1");

        flaky.Failing = true;
        using var refused = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.2", port = 8080 }, Ct);
        using var refusedPatch = await client.PatchAsJsonAsync(Api.Instance("orders", kept.Id), new { weight = 9 }, Ct);

        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("store-unavailable", problem.Code());
        Assert.NotNull(refused.Headers.RetryAfter);
        await refusedPatch.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        var list = await client.ListAsync("orders");
        Assert.Equal(["10.0.0.1"], list.Instances.Select(i => i.Ip));
        Assert.Equal(((double?)null, kept.Revision), (list.Instances[0].Weight, list.Revision));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", kept.Id));

        flaky.Failing = false;
        var next = await client.RegisterAsync("orders", "10.0.0.2");

        Assert.Equal(kept.Revision + 1, next.Revision);
        Assert.Equal(2, (await client.ListAsync("orders")).Instances.Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
    }
}
