using Microsoft.Playwright;

namespace Registry.Console.Tests;

/// <summary>With auth on: signing in with a token, and a console that offers only what the token may do.</summary>
public sealed class SignInTests(AuthConsoleFixture console) : IClassFixture<AuthConsoleFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIn_BadTokenThenAdminToken_RefusesThenOffersEverything()
    {
        var page = await console.OpenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Token")).ToBeFocusedAsync();
        await ConsoleFixture.AssertAccessibleAsync(page);
        await ConsoleFixture.ScreenshotAsync(page, "sign-in");

        await page.GetByLabel("Token").FillAsync("rg_wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The token is unknown, revoked or expired.");

        await page.GetByLabel("Token").FillAsync(AuthConsoleFixture.Admin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Signed in as ops")).ToBeVisibleAsync();
        var sections = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });
        foreach (var name in new[] { "Naming", "Config", "Namespaces", "Tokens", "Audit", "Backups" })
        {
            await Assertions.Expect(sections.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task ReadToken_SeesEverythingButIsOfferedNoChange()
    {
        using var admin = console.Client(AuthConsoleFixture.Admin);
        await ConsoleFixture.RegisterAsync(admin, "read-only", new { ip = "10.5.0.1", port = 80 });
        await ConsoleFixture.PublishAsync(admin, "read-only.yaml", "a: 1\n");
        await ConsoleFixture.PublishAsync(admin, "read-only.yaml", "a: 2\n");
        var page = await SignInAsync(AuthConsoleFixture.Reader);
        var sections = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });
        await Assertions.Expect(sections.GetByRole(AriaRole.Link, new() { Name = "Config" })).ToBeVisibleAsync();
        await Assertions.Expect(sections.GetByRole(AriaRole.Link, new() { Name = "Tokens" })).ToHaveCountAsync(0);
        await Assertions.Expect(sections.GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);

        await page.GotoAsync(new Uri(console.Server.Address, "/console/#/naming/public/DEFAULT_GROUP/read-only").ToString());
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "10.5.0.1:80" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Disable" })).ToHaveCountAsync(0);

        await page.GotoAsync(new Uri(console.Server.Address, "/console/#/config/public/DEFAULT_GROUP/read-only.yaml").ToString());
        await Assertions.Expect(page.GetByText("Your token may read this item but not change it.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Content of read-only.yaml")).Not.ToBeEditableAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" })).ToHaveCountAsync(0);

        await page.GotoAsync(new Uri(console.Server.Address, "/console/#/tokens").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Token_RevokedWhileSignedIn_LeadsBackToSignIn()
    {
        using var admin = console.Client(AuthConsoleFixture.Admin);
        using var created = await admin.PostAsync("/v1/tokens", new StringContent(
            """{"name":"short-lived","roles":["read"]}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        using var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        var secret = body.RootElement.GetProperty("secret").GetString()!;
        var id = body.RootElement.GetProperty("token").GetProperty("id").GetString()!;
        var page = await SignInAsync(secret);
        await Assertions.Expect(page.GetByText("Signed in as short-lived")).ToBeVisibleAsync();

        (await admin.DeleteAsync($"/v1/tokens/{id}", Ct)).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Link, new() { Name = "Config" }).ClickAsync();

        await Assertions.Expect(page.GetByText("The token is no longer accepted (revoked or expired). Sign in again.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Token")).ToBeVisibleAsync();
    }

    private async Task<IPage> SignInAsync(string token)
    {
        var page = await console.OpenAsync();
        await page.GetByLabel("Token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Signed in as")).ToBeVisibleAsync();
        return page;
    }
}
