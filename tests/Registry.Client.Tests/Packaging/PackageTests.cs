using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Xml.Linq;
using Registry.Contracts.Naming;
using Registry.Server.Tests;

namespace Registry.Client.Tests.Packaging;

/// <summary>
/// The packages as a team gets them: packed into a folder feed, restored by a fresh app outside the repository whose
/// nuget.config takes <c>Registry.*</c> from that feed alone (everything else from the machine's usual sources), and
/// run against a registry process. Each run packs a version of its own, so no package cache can stand in for it.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class PackageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Packages_PackedToAFolderFeed_RestoreIntoAFreshAppThatRegistersItself()
    {
        using var work = new TempDirectory();
        var feed = work.File("feed");
        var version = $"1.0.0-packtest.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        try
        {
            await DotnetAsync(Repository.Root(), "pack", Path.Combine("src", "Registry.Client"), "-c", "Release", "-o", feed,
                $"-p:Version={version}", "--artifacts-path", work.File("artifacts"));

            AssertPackage(feed, "Registry.Contracts", version);
            Assert.Contains(("Registry.Contracts", version), AssertPackage(feed, "Registry.Client", version));

            var app = WriteApp(work.File("app"), feed, version, await SourcesAsync());
            await DotnetAsync(app, "build", "-c", "Release");

            using var data = new TempDirectory();
            await using var registry = await ServerProcess.StartAsync(data.Path);
            var port = ServerProcess.FreePort();
            using var process = Start(app, port, registry.Address);
            try
            {
                var instances = await Eventually.MatchesAsync(
                    async () => await ListAsync(registry, "packaged-app"), list => list.Count == 1, "registered by the packaged client");
                Assert.Equal(port, instances[0].Port);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(Ct);
            }
        }
        finally
        {
            ForgetCachedPackages(version);
        }
    }

    private static IReadOnlyList<(string Id, string Version)> AssertPackage(string feed, string id, string version)
    {
        Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id}: no symbol package");
        using var package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
        using var nuspecStream = package.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("Registry contributors", Value("authors"));
        Assert.NotNull(package.GetEntry(Value("readme")));
        return [.. metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))];
    }

    /// <summary>A web app as <c>dotnet new web</c> makes it, plus the client's setup, restoring Registry.* from the feed only.</summary>
    private static string WriteApp(string directory, string feed, string version, IReadOnlyList<string> sources)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "PackagedApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Registry.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRegistryClient(o => o.Registration.Service = "packaged-app");
            var app = builder.Build();
            app.MapGet("/", () => "hello");
            app.Run();
            """);
        var others = sources.Select((url, i) => (Key: $"source{i}", Url: url)).ToList();
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="registry-feed" value="{feed}" />
            {string.Concat(others.Select(s => $"    <add key=\"{s.Key}\" value=\"{s.Url}\" />\n"))}  </packageSources>
              <packageSourceMapping>
                <packageSource key="registry-feed"><package pattern="Registry.*" /></packageSource>
            {string.Concat(others.Select(s => $"    <packageSource key=\"{s.Key}\"><package pattern=\"*\" /></packageSource>\n"))}  </packageSourceMapping>
            </configuration>
            """);
        return directory;
    }

    /// <summary>The package sources this machine restores from (what the repository's own restore used).</summary>
    private static async Task<IReadOnlyList<string>> SourcesAsync()
    {
        var listed = await DotnetAsync(Repository.Root(), "nuget", "list", "source", "--format", "short");
        return [.. listed.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('E') && l.Contains(' ', StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim())];
    }

    private static Process Start(string app, int port, Uri registry)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "PackagedApp.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Registry__Client__Server"] = registry.ToString();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<IReadOnlyList<InstanceInfo>> ListAsync(ServerProcess registry, string service)
    {
        using var client = registry.CreateClient();
        using var response = await client.GetAsync($"/v1/services/{service}/instances", Ct);
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<InstanceList>(Ct))!.Instances : [];
    }

    private static async Task<string> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    /// <summary>The global package folder keeps what a restore took: this run's packages are not worth keeping.</summary>
    private static void ForgetCachedPackages(string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "registry.client", "registry.contracts" })
        {
            var folder = Path.Combine(packages, id, version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
