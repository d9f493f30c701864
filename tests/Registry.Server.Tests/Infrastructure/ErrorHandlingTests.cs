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

        Assert.Equal("route-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Theory]
    [InlineData("/v1/services/orders/instances?healthyOnly=maybe", "healthyOnly", "'healthyOnly' must be true or false; got 'maybe'.")]
    [InlineData("/v1/configs?page=x", "page", "'page' must be a whole number, at most 2147483647; got 'x'.")]
    [InlineData("/v1/services?pageSize=abc", "pageSize", "'pageSize' must be a whole number, at most 2147483647; got 'abc'.")]
    [InlineData("/v1/services?page=99999999999", "page", "'page' must be a whole number, at most 2147483647; got '99999999999'.")]
    [InlineData("/v1/namespaces?pageSize=1.5", "pageSize", "'pageSize' must be a whole number, at most 2147483647; got '1.5'.")]
    [InlineData("/v1/configs/app.yaml?version=abc", "version", "'version' must be a whole number; got 'abc'.")]
    [InlineData("/v1/configs/app.yaml?waitAfterVersion=x", "waitAfterVersion", "'waitAfterVersion' must be a whole number; got 'x'.")]
    [InlineData("/v1/configs/watch?snapshot=perhaps", "snapshot", "'snapshot' must be true or false; got 'perhaps'.")]
    [InlineData("/v1/services/orders/watch?snapshot=perhaps", "snapshot", "'snapshot' must be true or false; got 'perhaps'.")]
    public async Task Query_ValueOfTheWrongType_Returns400NamingTheParameterAndTheRule(string path, string field, string message)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation-failed", problem.Code());
        Assert.Equal([message], problem.Errors(field));
    }

    [Theory]
    [InlineData("null", "A JSON object body is required.")]
    [InlineData("", "A JSON object body is required.")]
    [InlineData("[]", "The body must be a JSON object. (line 1, byte 2)")]
    [InlineData("42", "The body must be a JSON object. (line 1, byte 3)")]
    public async Task Register_BodyThatIsNoObject_Returns400SayingAnObjectIsRequired(string body, string message)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"), Naming.RegisterInstanceTests.Json(body), Ct);

        Assert.Equal([message], (await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("body"));
        Assert.Empty((await client.ListAsync("orders")).Instances);
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
            // A body the route takes, so that only the name is wrong.
            request.Content = Naming.RegisterInstanceTests.Json(
                method == "PATCH" ? """{"weight":1}""" : path.Contains("/instances", StringComparison.Ordinal) ? """{"ip":"10.0.0.1","port":80}""" : "{}");
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

        Assert.Equal("method-not-allowed", (await response.ProblemAsync(HttpStatusCode.MethodNotAllowed)).Code());
    }

    [Fact]
    public async Task Heartbeat_IdWithUnencodedHash_Is405SayingToEncodeItAsPercent23()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        // What a client sends for …/instances/10.0.0.1#8080#DEFAULT/heartbeat: the fragment never leaves it.
        using var response = await client.PutAsync("/v1/services/orders/instances/10.0.0.1", null, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal("method-not-allowed", problem.Code());
        Assert.Contains("%23", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WhenTheStoreFails_Returns503ChangesNothingAndKeepsReadsWorking()
    {
        using var flaky = new FlakyDisk();
        await using var app = new RegistryApp(faults: flaky);
        using var client = app.CreateClient();
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
