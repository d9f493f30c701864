using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>The naming tree and a service's page, in Chromium against a server process.</summary>
public sealed class NamingPageTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Tree_ServicesRegistered_ShowsCountsFiltersByNameAndFollowsChangesLive()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "tree-orders", new { ip = "10.0.0.1", port = 8080 });
        await ConsoleFixture.RegisterAsync(http, "tree-orders", new { ip = "10.0.0.2", port = 8080 });
        await ConsoleFixture.RegisterAsync(http, "tree-payments", new { ip = "10.0.1.1", port = 8080 });
        var page = await console.OpenAsync();

        var orders = page.Locator("tbody tr", new() { HasText = "tree-orders" });
        await Assertions.Expect(orders.Locator("td").Nth(2)).ToHaveTextAsync("2");
        await page.GetByLabel("Search services").FillAsync("tree-pay");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Search services").FillAsync("tree-");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);

        await ConsoleFixture.RegisterAsync(http, "tree-orders", new { ip = "10.0.0.3", port = 8080 });

        // No reload: the page follows the registry's watch.
        await Assertions.Expect(orders.Locator("td").Nth(2)).ToHaveTextAsync("3");

        // A namespace created after the page opened shows at the tree's next periodic read, or at once on a reload.
        (await http.PutAsync("/v1/namespaces/prod", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await ConsoleFixture.RegisterAsync(http, "checkout", new { ip = "10.9.0.1", port = 80, ephemeral = false }, "?namespace=prod");
        await ConsoleFixture.RegisterAsync(http, "checkout", new { ip = "10.9.0.2", port = 80, ephemeral = false, cluster = "eu" }, "?namespace=prod");
        using (var sick = await http.PatchAsync("/v1/services/checkout/instances/10.9.0.2%2380%23eu?namespace=prod",
            new StringContent("""{"healthy":false}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            sick.EnsureSuccessStatusCode();
        }

        await page.ReloadAsync();
        var checkout = page.Locator("tbody tr", new() { HasText = "checkout" });
        await Assertions.Expect(checkout.Locator("td.unhealthy")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByText("prod — 1 of 2 instances healthy")).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "naming");
    }

    [Fact]
    public async Task ServicePage_Instances_ShowHealthWeightAndWhyLeaseAndMetadataAndFollowChanges()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "shop", new { ip = "10.1.0.1", port = 80, weight = 3, metadata = new { zone = "eu" } });
        await ConsoleFixture.RegisterAsync(http, "shop", new { ip = "10.1.0.2", port = 80, ephemeral = false });
        var page = await console.OpenAsync("/console/#/naming/public/DEFAULT_GROUP/shop");

        var beating = page.Locator("tbody tr", new() { HasText = "10.1.0.1:80" });
        await Assertions.Expect(beating).ToContainTextAsync("Healthy");
        await Assertions.Expect(beating).ToContainTextAsync("3 (its own)");
        await Assertions.Expect(beating).ToContainTextAsync("zone=eu");
        await Assertions.Expect(beating).ToContainTextAsync("ago");
        await Assertions.Expect(beating).ToContainTextAsync("evicted in");
        var persistent = page.Locator("tbody tr", new() { HasText = "10.1.0.2:80" });
        await Assertions.Expect(persistent).ToContainTextAsync("1 (default)");
        await Assertions.Expect(persistent).ToContainTextAsync("persistent (no lease)");

        await ConsoleFixture.RegisterAsync(http, "shop", new { ip = "10.1.0.3", port = 80 });

        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "10.1.0.3:80" })).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "service");
    }

    [Fact]
    public async Task ServicePage_AdminActions_AskFirstAndChangeTheInstance()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "admin-actions", new { ip = "10.2.0.1", port = 80 });
        await ConsoleFixture.RegisterAsync(http, "admin-actions", new { ip = "10.2.0.2", port = 80, ephemeral = false });
        var page = await console.OpenAsync("/console/#/naming/public/DEFAULT_GROUP/admin-actions");
        var first = page.Locator("tbody tr", new() { HasText = "10.2.0.1:80" });
        var persistent = page.Locator("tbody tr", new() { HasText = "10.2.0.2:80" });

        // Cancelled: nothing changes.
        await first.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Disable 10.2.0.1:80?");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(first).ToContainTextAsync("Yes");

        await first.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(first).ToContainTextAsync("No — disabled");

        await first.GetByRole(AriaRole.Button, new() { Name = "Weight…" }).ClickAsync();
        await page.GetByLabel("Weight (0 to 10000)").FillAsync("7");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Set weight" }).ClickAsync();
        await Assertions.Expect(first).ToContainTextAsync("7 (its own)");

        // The metadata document overrides it; the page says so, and what the instance's own weight is.
        using (var overridden = await http.PutAsync("/v1/services/admin-actions/metadata", new StringContent(
            """{"instanceWeights":{"10.2.0.1#80#DEFAULT":9}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            overridden.EnsureSuccessStatusCode();
        }

        await Assertions.Expect(first).ToContainTextAsync("9 (metadata override; its own 7)");

        Assert.Equal(0, await first.GetByRole(AriaRole.Button, new() { Name = "Mark unhealthy" }).CountAsync());
        await persistent.GetByRole(AriaRole.Button, new() { Name = "Mark unhealthy" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Mark unhealthy" }).ClickAsync();
        await Assertions.Expect(persistent).ToContainTextAsync("Unhealthy");

        var stored = await http.GetStringAsync("/v1/services/admin-actions/instances", TestContext.Current.CancellationToken);
        Assert.Contains("\"weight\":7", stored, StringComparison.Ordinal);
        Assert.Contains("\"enabled\":false", stored, StringComparison.Ordinal);
    }
}
