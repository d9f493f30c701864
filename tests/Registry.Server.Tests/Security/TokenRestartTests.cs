using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Registry.Contracts.Admin;
using Registry.Server.Security;

namespace Registry.Server.Tests.Security;

/// <summary>Token changes take no revision of their own; they must survive a restart all the same.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class TokenRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Restart_AfterATokenIsCreatedAndAnotherRevoked_KeepsBothChanges(bool kill)
    {
        using var dir = new TempDirectory();
        string[] arguments =
        [
            "--Registry:Auth:Enabled=true", "--Registry:Auth:Tokens:0:Name=ops",
            $"--Registry:Auth:Tokens:0:Hash={TokenSecrets.Hash(AuthApp.Admin)}", "--Registry:Auth:Tokens:0:Roles:0=admin",
        ];
        string kept;
        string revoked;
        await using (var server = await ServerProcess.StartAsync(dir.Path, arguments))
        {
            using var admin = Client(server, AuthApp.Admin);
            revoked = (await CreateAsync(admin, "leaving")).Secret;
            var leaving = (await admin.GetFromJsonAsync<List<TokenInfo>>(new Uri("/v1/tokens", UriKind.Relative), Ct))!.Single(t => t.Name == "leaving");

            // A read of the store folds the journal into LiteDB; the changes after it share its revision.
            (await admin.GetAsync(new Uri("/v1/audit", UriKind.Relative), Ct)).EnsureSuccessStatusCode();
            (await admin.DeleteAsync(new Uri($"/v1/tokens/{leaving.Id}", UriKind.Relative), Ct)).EnsureSuccessStatusCode();
            kept = (await CreateAsync(admin, "staying")).Secret;

            if (kill)
            {
                await server.KillAsync();
            }
            else
            {
                await server.TerminateAsync();
                Assert.Equal(0, await server.WaitForExitAsync());
            }
        }

        await using var restarted = await ServerProcess.StartAsync(dir.Path, arguments);
        using var withRevoked = Client(restarted, revoked);
        using var withKept = Client(restarted, kept);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withRevoked.GetAsync(new Uri("/v1/tree", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withKept.GetAsync(new Uri("/v1/tree", UriKind.Relative), Ct)).StatusCode);
    }

    private static HttpClient Client(ServerProcess server, string secret)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static async Task<CreatedToken> CreateAsync(HttpClient admin, string name)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/v1/tokens", UriKind.Relative), new { name, roles = new[] { "read" } }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedToken>(Ct))!;
    }
}
