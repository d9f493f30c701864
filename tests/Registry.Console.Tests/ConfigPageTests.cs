using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>The config pages: list and search, the editor with the server's validation, conflicts, history, diff, rollback.</summary>
public sealed class ConfigPageTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_SearchesByDataIdGroupAndFormat()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "list-orders.yaml", "a: 1\n", "?group=shop");
        await ConsoleFixture.PublishAsync(http, "list-orders.json", "{}", "?group=shop");
        await ConsoleFixture.PublishAsync(http, "list-users.yaml", "a: 1\n", "?group=people");
        var page = await console.OpenAsync("/console/#/config");
        var rows = page.Locator("tbody tr", new() { HasText = "list-" });

        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await page.GetByLabel("Data id", new() { Exact = true }).FillAsync("list-orders");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.GetByLabel("Format").SelectOptionAsync("yaml");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await page.GetByLabel("Data id", new() { Exact = true }).FillAsync("list-");
        await page.GetByLabel("Group", new() { Exact = true }).FillAsync("people");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("list-users.yaml");
        await page.GetByLabel("Group", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Format").SelectOptionAsync("");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await ConsoleFixture.ScreenshotAsync(page, "config-list");

        // Live: the list follows the namespace's config watch.
        await ConsoleFixture.PublishAsync(http, "list-late.yaml", "a: 1\n");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task List_ManyItems_IsPaged()
    {
        using var http = console.Client();
        (await http.PutAsync("/v1/namespaces/paged", null, Ct)).EnsureSuccessStatusCode();
        await Task.WhenAll(Enumerable.Range(1, 101).Select(i => ConsoleFixture.PublishAsync(http, $"item-{i:D3}.txt", "x", "?namespace=paged")));
        var page = await console.OpenAsync("/console/#/config?namespace=paged");
        var rows = page.Locator("tbody tr");

        await Assertions.Expect(page.GetByText("101 items in namespace paged.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(100);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("item-101.txt");
    }

    [Fact]
    public async Task Editor_InvalidContent_ShowsTheServersErrorAtItsLineAndPublishesOnceFixed()
    {
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/edit-new.json");
        var content = page.GetByLabel("Content of edit-new.json");

        await content.FillAsync("{\n  \"port\": 8080,\n  \"host\": \n}");

        await Assertions.Expect(page.Locator("#verdict")).ToContainTextAsync("Line 4, column 1:");
        await Assertions.Expect(page.Locator(".editor .gutter .error-line")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator(".editor pre .tok-key").First).ToHaveTextAsync("\"port\"");
        await ConsoleFixture.ScreenshotAsync(page, "config-error");
        await page.Locator("#verdict button").ClickAsync();
        await Assertions.Expect(content).ToBeFocusedAsync();

        await content.FillAsync("{\n  \"port\": 8080,\n  \"host\": \"db\"\n}");
        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("Valid json.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Published version 1.")).ToBeVisibleAsync();
        using var http = console.Client();
        Assert.Contains("\"db\"", await http.GetStringAsync("/v1/configs/edit-new.json", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_Untouched_FollowsAPublishFromElsewhere()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "follow.yaml", "a: 1\n");
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/follow.yaml");
        var content = page.GetByLabel("Content of follow.yaml");
        await Assertions.Expect(content).ToHaveValueAsync("a: 1\n");

        await ConsoleFixture.PublishAsync(http, "follow.yaml", "a: 2\n");

        await Assertions.Expect(content).ToHaveValueAsync("a: 2\n");
        await Assertions.Expect(page.GetByText("Version 2 was published meanwhile; the editor shows it.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Editor_ChangedMeanwhile_WarnsThenRefusesWithAClearMessageAndTheDiffAndCanPublishOverIt()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "race.yaml", "port: 1\nhost: a\n");
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/race.yaml");
        var content = page.GetByLabel("Content of race.yaml");
        await Assertions.Expect(content).ToHaveValueAsync("port: 1\nhost: a\n");
        await content.FillAsync("port: 1\nhost: b\n");

        await ConsoleFixture.PublishAsync(http, "race.yaml", "port: 2\nhost: a\n");

        // Told as it happens, from the item's watch; the text stays.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            "Version 2 was published while you edited version 1. Your text is still here; publishing it as it is would be refused.");
        await Assertions.Expect(page.Locator(".conflict table.diff tr.changed")).ToContainTextAsync("port: 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            "Not saved: version 2 was saved while you edited version 1. Your text is still here");
        var diff = page.Locator(".conflict table.diff");
        await Assertions.Expect(diff.Locator("tr.changed")).ToContainTextAsync("port: 2");
        await Assertions.Expect(content).ToHaveValueAsync("port: 1\nhost: b\n");
        Assert.Equal("port: 2\nhost: a\n", await http.GetStringAsync("/v1/configs/race.yaml", Ct));
        await ConsoleFixture.ScreenshotAsync(page, "config-conflict");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save mine over version 2" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Published version 3.")).ToBeVisibleAsync();
        Assert.Equal("port: 1\nhost: b\n", await http.GetStringAsync("/v1/configs/race.yaml", Ct));
    }

    [Fact]
    public async Task History_ComparesAnyTwoVersionsSideBySideAndRollsBackInOneClick()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "versions.yaml", "a: 1\nb: 1\n");
        await ConsoleFixture.PublishAsync(http, "versions.yaml", "a: 2\nb: 1\n");
        await ConsoleFixture.PublishAsync(http, "versions.yaml", "a: 2\nb: 3\n");
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/versions.yaml");
        var history = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "History" }) });
        await Assertions.Expect(history.Locator("tbody tr")).ToHaveCountAsync(3);

        await page.GetByLabel("Compare").SelectOptionAsync("1");
        await page.GetByLabel("with").SelectOptionAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show differences" }).ClickAsync();

        var diff = page.Locator(".diff-view table.diff");
        await Assertions.Expect(diff.Locator("caption")).ToHaveTextAsync("Version 1 compared with Version 3");
        await Assertions.Expect(diff.Locator("tr.changed")).ToHaveCountAsync(2);
        await Assertions.Expect(diff.Locator("tr.changed").First.Locator("td").Nth(1)).ToHaveTextAsync("a: 1");
        await Assertions.Expect(diff.Locator("tr.changed").First.Locator("td").Nth(3)).ToHaveTextAsync("a: 2");
        await ConsoleFixture.ScreenshotAsync(page, "config-history");

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Rolled back: version 4 has the content of version 1.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Content of versions.yaml")).ToHaveValueAsync("a: 1\nb: 1\n");
        Assert.Equal("a: 1\nb: 1\n", await http.GetStringAsync("/v1/configs/versions.yaml", Ct));
    }

    [Fact]
    public async Task Editor_DeletedItem_SaysSoAndRollsBackToAnEarlierVersion()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "deleted.yaml", "a: 1\n");
        (await http.DeleteAsync("/v1/configs/deleted.yaml", Ct)).EnsureSuccessStatusCode();
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/deleted.yaml");

        await Assertions.Expect(page.GetByText("Deleted: publishing creates it again, or roll back to a version below.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Version 3 (yaml).")).ToBeVisibleAsync();
        Assert.Equal("a: 1\n", await http.GetStringAsync("/v1/configs/deleted.yaml", Ct));
    }

    [Fact]
    public async Task Gray_PublishedFromTheEditorToLabelledClients_ListsItsClientsAndIsPromoted()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "gray.yaml", "mode: old\n");
        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/gray.yaml");
        var summary = page.Locator("#gray-summary");
        await Assertions.Expect(summary).ToHaveTextAsync("No gray release: every client gets the released version.");

        await page.GetByLabel("Content of gray.yaml").FillAsync("mode: new\n");
        await page.GetByLabel("Labels (all must match)").FillAsync("canary=true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a gray release of the editor's text" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Published gray version 2.")).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToHaveTextAsync(
            "Gray version 2 (yaml, 10 bytes) goes to clients labelled canary=true; every other client gets version 1.");
        // Version 1 is still the released one: nothing to roll back to.
        var history = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "History" }) });
        await Assertions.Expect(history.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(history.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" })).ToHaveCountAsync(0);
        using var canary = console.Client();
        canary.DefaultRequestHeaders.Add("X-Registry-Labels", "canary=true");
        canary.DefaultRequestHeaders.Add("X-Registry-Client-Id", "pod-canary");
        Assert.Equal("mode: new\n", await canary.GetStringAsync("/v1/configs/gray.yaml", Ct));
        Assert.Equal("mode: old\n", await http.GetStringAsync("/v1/configs/gray.yaml", Ct));
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh clients" }).ClickAsync();
        var gray = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Gray release" }) });
        await Assertions.Expect(gray.Locator("tbody tr", new() { HasText = "pod-canary" })).ToContainTextAsync("canary=true");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await ConsoleFixture.ScreenshotAsync(page, "config-gray");

        // Bad input is the server's error, named; promoting asks first.
        await page.GetByLabel("Share of clients (%)").FillAsync("101");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the rule" }).ClickAsync();
        await Assertions.Expect(gray.Locator(".message.error")).ToContainTextAsync("percentage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Promote to every client" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Promoted: version 3 has the content of gray version 2.")).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToHaveTextAsync("No gray release: every client gets the released version.");
        await Assertions.Expect(page.GetByText("Version 3 (yaml).")).ToBeVisibleAsync();
        Assert.Equal("mode: new\n", await http.GetStringAsync("/v1/configs/gray.yaml", Ct));
    }

    [Fact]
    public async Task Editor_GrayRuleNamingTheBrowsersAddress_EditsAndPublishesTheReleasedVersion()
    {
        using var http = console.Client();
        await ConsoleFixture.PublishAsync(http, "mine.yaml", "mode: old\n");
        using var gray = await http.PutAsJsonAsync(
            "/v1/configs/mine.yaml/gray", new { content = "mode: gray\n", rule = new { addresses = new[] { "127.0.0.0/8", "::1" } } }, Ct);
        gray.EnsureSuccessStatusCode();

        var page = await console.OpenAsync("/console/#/config/public/DEFAULT_GROUP/mine.yaml");
        var content = page.GetByLabel("Content of mine.yaml");

        // The browser's reads get the gray version; the editor holds the released one, and publishes over it.
        await Assertions.Expect(page.GetByText("Version 1 (yaml).")).ToBeVisibleAsync();
        await Assertions.Expect(content).ToHaveValueAsync("mode: old\n");
        await content.FillAsync("mode: fixed\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByText("Published version 3.")).ToBeVisibleAsync();
        Assert.Equal("mode: fixed\n", await http.GetStringAsync("/v1/configs/mine.yaml?version=3", Ct));
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonElement>("/v1/configs/mine.yaml/gray", Ct)).GetProperty("version").GetInt32());
    }
}
