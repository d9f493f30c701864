using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Registry.Server.Tests;

namespace Registry.Console.Tests;

/// <summary>The console's naming page in a real browser (Debian's Chromium) against a real server process.</summary>
public sealed class NamingPageTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NamingPage_ServicesRegistered_ShowsCountsFiltersByNameAndFollowsChangesLive()
    {
        await using var server = await StartServerAsync();
        using var http = server.CreateClient();
        await RegisterAsync(http, "orders", "10.0.0.1");
        await RegisterAsync(http, "orders", "10.0.0.2");
        await RegisterAsync(http, "payments", "10.0.1.1");
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });

        await page.GotoAsync(new Uri(server.Address, "/console/").ToString());

        var orders = page.Locator("tbody tr", new() { HasText = "orders" });
        await Assertions.Expect(orders.Locator("td").Nth(3)).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
        await page.GetByLabel("Search services").FillAsync("pay");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Search services").FillAsync("");

        await RegisterAsync(http, "orders", "10.0.0.3");

        // No reload: the page follows the registry's watch.
        await Assertions.Expect(orders.Locator("td").Nth(3)).ToHaveTextAsync("3");
    }

    [Fact]
    public async Task NamingPage_Accessibility_HasNoSeriousOrCriticalViolationsAndWorksByKeyboard()
    {
        await using var server = await StartServerAsync();
        using var http = server.CreateClient();
        await RegisterAsync(http, "orders", "10.0.0.1");
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(new Uri(server.Address, "/console/").ToString());
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Search services")).ToBeFocusedAsync();
    }

    private static async Task<ServerProcess> StartServerAsync()
    {
        Assert.SkipUnless(File.Exists(Chromium), $"{Chromium} is not installed (Debian's chromium package).");
        return await ServerProcess.StartAsync(Path.GetTempPath(), "--Registry:Storage:Path=:memory:");
    }

    private static async Task RegisterAsync(HttpClient http, string service, string ip)
    {
        using var response = await http.PutAsJsonAsync($"/v1/services/{service}/instances", new { ip, port = 8080 }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<BrowserSession> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: no background connections, no sandbox as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new BrowserSession(playwright, browser);
    }

    private sealed class BrowserSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public Task<IPage> NewPageAsync(BrowserNewPageOptions options) => browser.NewPageAsync(options);

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
