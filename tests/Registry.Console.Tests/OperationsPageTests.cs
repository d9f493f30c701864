using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>Namespaces, tokens, the audit log and backups.</summary>
public sealed class OperationsPageTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Namespaces_CreatedAndDeleted_AfterConfirmation()
    {
        var page = await console.OpenAsync("/console/#/namespaces");

        await page.GetByLabel("Id", new() { Exact = true }).FillAsync("staging");
        await page.GetByLabel("Display name").FillAsync("Staging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create or update" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "staging" });
        await Assertions.Expect(row).ToContainTextAsync("Staging");
        await ConsoleFixture.ScreenshotAsync(page, "namespaces");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete staging" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Assertions.Expect(row).ToHaveCountAsync(0);
        using var http = console.Client();
        using var gone = await http.GetAsync("/v1/namespaces/staging", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Tokens_Created_ShowTheSecretOnceAndRevokeIt()
    {
        var page = await console.OpenAsync("/console/#/tokens");

        await page.GetByLabel("Name (the author of its changes)").FillAsync("gateway");
        await page.GetByLabel("write").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var secret = page.GetByLabel("Secret");
        await Assertions.Expect(page.GetByText("it is shown this once and never again")).ToBeVisibleAsync();
        var value = await secret.InputValueAsync();
        Assert.StartsWith("rg_", value, StringComparison.Ordinal);
        using (var withToken = console.Client(value))
        {
            Assert.Contains("\"name\":\"gateway\"", await withToken.GetStringAsync("/v1/tokens/current", Ct), StringComparison.Ordinal);
        }

        var row = page.Locator("tbody tr", new() { HasText = "gateway" });
        await Assertions.Expect(row).ToContainTextAsync("read, write");
        await ConsoleFixture.ScreenshotAsync(page, "tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done: hide it" }).ClickAsync();
        await Assertions.Expect(secret).ToHaveCountAsync(0);
        await page.ReloadAsync();
        Assert.DoesNotContain(value, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke gateway" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Assertions.Expect(row).ToHaveCountAsync(0);
        using var revoked = console.Client(value);
        using var refused = await revoked.GetAsync("/v1/tokens/current", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Audit_Filtered_ShowsOnlyMatchingEntries()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "audited.yaml", "a: 1\n");
        await ConsoleFixture.RegisterAsync(http, "audited", new { ip = "10.4.0.1", port = 80, ephemeral = false });
        using (var patch = await http.PatchAsync("/v1/services/audited/instances/10.4.0.1%2380%23DEFAULT",
            new StringContent("""{"enabled":false}""", System.Text.Encoding.UTF8, "application/json"), Ct))
        {
            patch.EnsureSuccessStatusCode();
        }

        var page = await console.OpenAsync("/console/#/audit");
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "audited.yaml" })).ToBeVisibleAsync();

        await page.GetByLabel("Action starts with").FillAsync("instance.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "audited.yaml" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "10.4.0.1" }).First).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task Backup_Downloaded_IsALiteDbFile()
    {
        var page = await console.OpenAsync("/console/#/backups");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Download a backup" }).ClickAsync());

        Assert.Matches(@"^registry-\d+\.db$", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.True(new FileInfo(path).Length > 0);
        await Assertions.Expect(page.GetByText($"Backup {download.SuggestedFilename} downloaded")).ToBeVisibleAsync();
    }
}
