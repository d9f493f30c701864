using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Registry.Server.Tests;

namespace Registry.Console.Tests;

/// <summary>
/// A registry server process and Debian's Chromium, shared by the tests of a class; each test opens its own page at
/// 1280×800. Tests name their own services and items, so they do not see each other's.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ServerProcess? _server;
    private readonly string[] _arguments;
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _scriptErrors = [];

    public ConsoleFixture()
        : this([])
    {
    }

    /// <param name="arguments">The server's arguments beyond its data file.</param>
    internal ConsoleFixture(params string[] arguments) => _arguments = arguments;

    static ConsoleFixture() =>
        // Bounds for a broken console to fail instead of hanging, not speed goals: a busy machine may take seconds.
        Assertions.SetDefaultExpectTimeout(30_000);

    public static bool Available => File.Exists(Chromium);

    internal ServerProcess Server => _server!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"registry-console-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        _server = await ServerProcess.StartAsync(
            Path.GetTempPath(), [$"--Registry:Storage:Path={Path.Combine(DataDirectory, "registry.db")}", .. _arguments]);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The network here is closed: no background connections; no sandbox when run as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page at 1280×800, at <paramref name="path"/> of the console.</summary>
    public async Task<IPage> OpenAsync(string path = "/console/")
    {
        Assert.SkipUnless(Available, $"{Chromium} is not installed (Debian's chromium package).");
        var context = await _browser!.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 800 },
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        // A script error, or anything the server's content security policy refused, fails the class (at its end).
        page.PageError += (_, error) => _scriptErrors.Add($"{page.Url}: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _scriptErrors.Add($"{page.Url}: {message.Text}");
            }
        };
        await page.GotoAsync(new Uri(Server.Address, path).ToString());
        return page;
    }

    public HttpClient Client(string? token = null)
    {
        var client = Server.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public static async Task RegisterAsync(HttpClient http, string service, object instance, string query = "")
    {
        using var response = await http.PutAsJsonAsync($"/v1/services/{service}/instances{query}", instance, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task PublishAsync(HttpClient http, string dataId, string content, string query = "")
    {
        using var response = await http.PutAsync($"/v1/configs/{dataId}{query}", new StringContent(content), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>axe finds no serious or critical violation on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} ({string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))})").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    /// <summary>
    /// With REGISTRY_UPDATE_SCREENSHOTS=1, writes the page as docs/console/<paramref name="name"/>.png of the repository
    /// (the screenshots the README shows).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_UPDATE_SCREENSHOTS") != "1")
        {
            return;
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root(), "docs", "console", $"{name}.png"), FullPage = true });
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
        Assert.True(_scriptErrors.IsEmpty, $"Script errors in the console:\n{string.Join("\n", _scriptErrors)}");
    }
}

/// <summary>A server with auth on and two tokens: admin and read.</summary>
public sealed class AuthConsoleFixture : ConsoleFixture
{
    public const string Admin = "rg_console_admin";
    public const string Reader = "rg_console_reader";

    public AuthConsoleFixture()
        : base(
        [
            "--Registry:Auth:Enabled=true",
            .. Token(0, "ops", Admin, "admin", "*"),
            .. Token(1, "dashboard", Reader, "read", "*"),
        ])
    {
    }

    private static string[] Token(int index, string name, string secret, string role, string ns) =>
    [
        $"--Registry:Auth:Tokens:{index}:Name={name}",
        $"--Registry:Auth:Tokens:{index}:Hash={Hash(secret)}",
        $"--Registry:Auth:Tokens:{index}:Roles:0={role}",
        $"--Registry:Auth:Tokens:{index}:Namespaces:0={ns}",
    ];
}
