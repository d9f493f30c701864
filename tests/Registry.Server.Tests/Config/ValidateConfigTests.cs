using System.Net;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

public sealed class ValidateConfigTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Validate_ValidContent_Returns200WithItsFormatAndStoresNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/configs/app.json/validate", new StringContent("{\"a\": 1}", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ConfigValidation("json", 8), await response.Content.ReadFromJsonAsync<ConfigValidation>(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await client.ReadAsync("app.json")).Status);
    }

    [Theory]
    [InlineData("app.json", "", "{\"a\": 1,\n  \"b\": }", 2, 8)]
    [InlineData("app.yaml", "", "a: 1\nb: [\n", 3, 1)]
    [InlineData("app.txt", "?format=xml", "<a>\n  <b></a>", 2, 8)]
    public async Task Validate_InvalidContent_Returns400AtItsLineAndColumn(string dataId, string query, string content, int line, int column)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PostAsync($"/v1/configs/{dataId}/validate{query}", new StringContent(content), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors("content"));
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        Assert.Equal(column, problem.GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task Validate_UnknownFormat_Returns400NamingIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/configs/app/validate?format=toml", new StringContent("a = 1"), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("format"));
    }
}
