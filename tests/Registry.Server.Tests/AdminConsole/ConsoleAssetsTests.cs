using System.Net;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.AdminConsole;

public sealed class ConsoleAssetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/console", "text/html")]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/console.js", "text/javascript")]
    [InlineData("/console/editor.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    public async Task Asset_Requested_IsServedFromTheServerWithItsTypeAndAStrictPolicy(string path, string mediaType)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Asset_Head_AnswersWithoutABody()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/console/"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Asset_WithItsETag_Returns304()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/console/api.js", Ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/api.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/../appsettings.json")]
    [InlineData("/console/Assets/index.html")]
    public async Task Asset_Unknown_Returns404(string path)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Console_AuthOn_IsServedWithoutATokenWhileItsDataNeedsOne()
    {
        await using var app = AuthApp.Create();
        using var anonymous = app.Client(null);

        using var page = await anonymous.GetAsync("/console/", Ct);
        using var data = await anonymous.GetAsync("/v1/tree", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }
}
