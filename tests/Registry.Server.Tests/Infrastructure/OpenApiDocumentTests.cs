namespace Registry.Server.Tests.Infrastructure;

public sealed class OpenApiDocumentTests
{
    /// <summary>Set to 1 to write the served document into openapi.yaml instead of comparing.</summary>
    private const string UpdateVariable = "REGISTRY_UPDATE_OPENAPI";

    [Fact]
    public async Task ServedDocument_EqualsTheCommittedOpenApiYaml()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var served = Normalize(await client.GetStringAsync("/swagger/v1/swagger.yaml", TestContext.Current.CancellationToken));
        var path = Path.Combine(Repository.Root(), "openapi.yaml");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(path), $"openapi.yaml is missing; run the tests once with {UpdateVariable}=1.");
        var committed = Normalize(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.True(committed == served,
            $"openapi.yaml differs from the served document; run the tests with {UpdateVariable}=1 and commit the result.");
    }

    [Fact]
    public async Task Swagger_RootPath_LeadsToTheUi()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/swagger", TestContext.Current.CancellationToken);

        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var page = await client.GetStringAsync("/swagger/index.html", TestContext.Current.CancellationToken);

        Assert.Contains("swagger-ui", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/configs/{dataId}", "put", "If-Match,If-None-Match,X-Registry-User")]
    [InlineData("/v1/configs/{dataId}", "get", "If-None-Match,X-Registry-Labels,X-Registry-Client-Id")]
    [InlineData("/v1/configs/{dataId}", "delete", "If-Match,X-Registry-User")]
    [InlineData("/v1/configs/{dataId}/rollback", "post", "If-Match,X-Registry-User")]
    [InlineData("/v1/configs/watch", "get", "Last-Event-ID,X-Registry-Labels,X-Registry-Client-Id")]
    [InlineData("/v1/configs/{dataId}/gray", "put", "X-Registry-User")]
    [InlineData("/v1/configs/{dataId}/gray/rule", "put", "X-Registry-User")]
    [InlineData("/v1/configs/{dataId}/gray/promote", "post", "X-Registry-User")]
    [InlineData("/v1/configs/{dataId}/gray", "delete", "X-Registry-User")]
    [InlineData("/v1/services/{service}/watch", "get", "Last-Event-ID")]
    [InlineData("/v1/services/{service}/metadata", "put", "If-Match,If-None-Match,X-Registry-User")]
    [InlineData("/v1/services/{service}/instances", "put", "")]
    public async Task SwaggerUi_Operation_OffersTheHeadersItTakes(string path, string method, string headers)
    {
        using var document = await ServedDocumentAsync();

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        var offered = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString())
            : [];
        Assert.Equal(headers, string.Join(',', offered));
    }

    [Fact]
    public async Task SwaggerUi_AuthorizeButton_TakesABearerTokenForEveryOperation()
    {
        using var document = await ServedDocumentAsync();

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.RootElement.GetProperty("security")[0].TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task SwaggerUi_ConfigPublish_TakesEveryFormatWithAnExample()
    {
        using var document = await ServedDocumentAsync();

        var content = document.RootElement.GetProperty("paths").GetProperty("/v1/configs/{dataId}").GetProperty("put")
            .GetProperty("requestBody").GetProperty("content");
        Assert.Equal(
            ["application/yaml", "application/json", "text/x-java-properties", "application/xml", "text/plain"],
            content.EnumerateObject().Select(mediaType => mediaType.Name));
        Assert.All(content.EnumerateObject(), mediaType => Assert.True(mediaType.Value.TryGetProperty("example", out _), mediaType.Name));
    }

    private static async Task<System.Text.Json.JsonDocument> ServedDocumentAsync()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        return System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
}
