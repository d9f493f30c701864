using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>Every page passes axe with no serious or critical violation at 1280×800, and the console works by keyboard.</summary>
public sealed class AccessibilityTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Theory]
    [InlineData("#/naming", "tbody tr")]
    [InlineData("#/naming/public/DEFAULT_GROUP/a11y", "tbody tr")]
    [InlineData("#/metadata/public/DEFAULT_GROUP/a11y", "#verdict")]
    [InlineData("#/config", "tbody tr")]
    [InlineData("#/config/public/DEFAULT_GROUP/a11y.yaml", ".diff-view table")]
    [InlineData("#/namespaces", "tbody tr")]
    [InlineData("#/tokens", "form")]
    [InlineData("#/audit", "tbody tr")]
    [InlineData("#/backups", "button")]
    public async Task Page_Loaded_HasNoSeriousOrCriticalViolations(string route, string filled)
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "a11y", new { ip = "10.7.0.1", port = 80, metadata = new { zone = "eu" } });
        await ConsoleFixture.PublishAsync(http, "a11y.yaml", "a: 1\n");
        await ConsoleFixture.PublishAsync(http, "a11y.yaml", "a: 2\n");
        var page = await console.OpenAsync($"/console/{route}");
        if (route.EndsWith(".yaml", StringComparison.Ordinal))
        {
            // The editor with an error marked, and a diff shown.
            await page.GetByLabel("Content of a11y.yaml").FillAsync("a: [\n");
            await Assertions.Expect(page.Locator("#verdict")).ToContainTextAsync("Line");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show differences" }).ClickAsync();
        }

        await Assertions.Expect(page.Locator(filled).First).ToBeVisibleAsync();

        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Dialog_Open_HasNoSeriousOrCriticalViolations()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "a11y-dialog", new { ip = "10.7.1.1", port = 80 });
        var page = await console.OpenAsync("/console/#/naming/public/DEFAULT_GROUP/a11y-dialog");

        await page.GetByRole(AriaRole.Button, new() { Name = "Weight…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();

        await ConsoleFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Keyboard_Alone_ReachesASectionAnInstanceActionAndBackOut()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "keys", new { ip = "10.7.2.1", port = 80 });
        var page = await console.OpenAsync();
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "keys" })).ToBeVisibleAsync();

        // The skip link first, then the sections.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Naming" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Config" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");

        // The search, then the service's link, by Tab alone; Enter opens the service.
        await page.GetByLabel("Search services").FocusAsync();
        await page.Keyboard.TypeAsync("keys");
        await page.Keyboard.PressAsync("Tab");
        var link = page.GetByRole(AriaRole.Link, new() { Name = "keys", Exact = true });
        await Assertions.Expect(link).ToBeFocusedAsync();

        // A live update redraws the table; the focus stays on the same link.
        await ConsoleFixture.RegisterAsync(http, "keys", new { ip = "10.7.2.2", port = 80 });
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "keys" }).Locator("td").Nth(2)).ToHaveTextAsync("2");
        await Assertions.Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "keys", Exact = true })).ToBeFocusedAsync();

        // An action's dialog opens with focus inside it and Escape closes it with nothing changed.
        var row = page.Locator("tbody tr", new() { HasText = "10.7.2.1:80" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Assertions.Expect(row).ToContainTextAsync("Yes");
    }
}
