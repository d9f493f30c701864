using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>Data is shown as text, never run: markup in metadata, config content and audit details stays inert.</summary>
public sealed class MarkupInDataTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private const string Markup = "<img src=x onerror=\"window.ran=1\"><script>window.ran=1</script>";

    [Fact]
    public async Task Pages_DataHoldingMarkup_ShowItAsTextAndRunNothing()
    {
        using var http = console.Client();
        await ConsoleFixture.RegisterAsync(http, "markup", new { ip = "10.8.0.1", port = 80, metadata = new { note = Markup } });
        await ConsoleFixture.PublishAsync(http, "markup.txt", Markup);

        var page = await console.OpenAsync("/console/#/naming/public/DEFAULT_GROUP/markup");
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "10.8.0.1:80" })).ToContainTextAsync($"note={Markup}");
        await page.GotoAsync(new Uri(console.Server.Address, "/console/#/config/public/DEFAULT_GROUP/markup.txt").ToString());
        await Assertions.Expect(page.Locator(".editor pre")).ToContainTextAsync("<script>window.ran=1</script>");

        Assert.Null(await page.EvaluateAsync<int?>("window.ran"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
    }
}
