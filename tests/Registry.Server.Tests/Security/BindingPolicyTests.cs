using System.Net;
using Registry.Server.Security;

namespace Registry.Server.Tests.Security;

[Collection(nameof(ServerProcesses))]
public sealed class BindingPolicyTests
{
    [Fact]
    public async Task Start_OnANetworkAddressWithoutAuth_Refuses()
    {
        using var dir = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunOnToExitAsync(dir.Path, "0.0.0.0");

        Assert.Equal(1, exitCode);
        Assert.Contains("Registry cannot start: Refusing to listen on", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnANetworkAddressWithAnonymousAllowed_ServesAndWarns()
    {
        using var dir = new TempDirectory();

        await using var server = await ServerProcess.StartOnAsync(dir.Path, "0.0.0.0", "--Registry:Auth:AllowAnonymousOnNetwork=true");

        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/v1/tree", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains("anyone who can reach it", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnANetworkAddressWithAuth_Serves()
    {
        using var dir = new TempDirectory();

        await using var server = await ServerProcess.StartOnAsync(dir.Path, "0.0.0.0", "--Registry:Auth:Enabled=true");

        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/v1/tree", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains("rg_", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsTheCommandsAndServesNothing()
    {
        using var dir = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("restore <backup.db>", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "data")));
    }

    [Fact]
    public async Task Version_PrintsTheBuildsVersionAndServesNothing()
    {
        using var dir = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "--version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Registry ", output.Trim(), StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "data")));
    }

    [Fact]
    public async Task HashToken_WithASecret_PrintsItsSha256()
    {
        using var dir = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, "hash-token", "s3cret");

        Assert.Equal(0, exitCode);
        Assert.Contains(TokenSecrets.Hash("s3cret"), output, StringComparison.Ordinal);
    }
}
