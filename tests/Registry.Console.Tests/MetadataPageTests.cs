using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>A service's metadata document: edited as JSON, saved with If-Match, its history and rollback.</summary>
public sealed class MetadataPageTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_EditedAndSaved_SetsProtocolsAndWeightsAndRollsBack()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "pay", new { ip = "10.3.0.1", port = 80 });
        var page = await console.OpenAsync("/console/#/naming/public/DEFAULT_GROUP/pay");
        await page.GetByRole(AriaRole.Link, new() { Name = "Metadata document (protocols, weights)" }).ClickAsync();
        var content = page.GetByLabel("Metadata document of pay");
        await Assertions.Expect(page.GetByText("No document yet: saving creates one.")).ToBeVisibleAsync();

        await content.FillAsync("{ \"protocols\": [{ \"name\": \"grpc\", \"port\": 9090 }], \"defaultWeight\": 4,,}");
        await Assertions.Expect(page.Locator("#verdict")).ToContainTextAsync("Line 1, column");
        await content.FillAsync("{ \"protocols\": [{ \"name\": \"grpc\", \"port\": 0 }] }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("protocols[0].port");

        await content.FillAsync("{ \"protocols\": [{ \"name\": \"grpc\", \"port\": 9090 }], \"defaultWeight\": 4 }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved version 1.")).ToBeVisibleAsync();
        await content.FillAsync("{ \"protocols\": [{ \"name\": \"grpc\", \"port\": 9191 }], \"defaultWeight\": 4 }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved version 2.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show differences" }).ClickAsync();
        await Assertions.Expect(page.Locator(".diff-view tr.changed")).ToContainTextAsync("9191");
        await ConsoleFixture.ScreenshotAsync(page, "metadata");

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Rolled back: version 3 has the content of version 1.")).ToBeVisibleAsync();
        Assert.Contains("\"port\":9090", await http.GetStringAsync("/v1/services/pay/metadata", Ct), StringComparison.Ordinal);
        var instances = await http.GetStringAsync("/v1/services/pay/instances", Ct);
        Assert.Contains("\"effectiveWeight\":4", instances, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "pay", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "10.3.0.1:80" })).ToContainTextAsync("4 (service default)");
    }

    [Fact]
    public async Task Document_Untouched_FollowsASaveFromElsewhere()
    {
        using var http = console.Client();
        await PutAsync(http, "followed", """{"defaultWeight":1}""");
        var page = await console.OpenAsync("/console/#/metadata/public/DEFAULT_GROUP/followed");
        await Assertions.Expect(page.GetByText("Version 1, by anonymous.")).ToBeVisibleAsync();

        await PutAsync(http, "followed", """{"defaultWeight":5}""");

        await Assertions.Expect(page.GetByLabel("Metadata document of followed")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"defaultWeight\": 5"));
        await Assertions.Expect(page.GetByText("Version 2 was saved meanwhile; the editor shows it.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Document_SavedMeanwhile_IsRefusedWithTheDiff()
    {
        using var http = console.Client();
        await PutAsync(http, "meanwhile", """{"defaultWeight":1}""");

        var page = await console.OpenAsync("/console/#/metadata/public/DEFAULT_GROUP/meanwhile");
        await Assertions.Expect(page.GetByText("Version 1, by anonymous.")).ToBeVisibleAsync();
        await page.GetByLabel("Metadata document of meanwhile").FillAsync("""{ "defaultWeight": 3 }""");

        await PutAsync(http, "meanwhile", """{"defaultWeight":2}""");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Version 2 was saved while you edited version 1.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not saved: version 2 was saved while you edited version 1");
        await Assertions.Expect(page.Locator(".conflict tr.changed")).ToContainTextAsync("2");
    }

    private static async Task PutAsync(HttpClient http, string service, string document)
    {
        using var response = await http.PutAsync($"/v1/services/{service}/metadata",
            new StringContent(document, System.Text.Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
    }
}
