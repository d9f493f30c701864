using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Security;

/// <summary>Where a generated admin token is shown, once: standard output by default.</summary>
internal interface IAdminTokenAnnouncer
{
    void Announce(string secret);
}

internal sealed class ConsoleAdminTokenAnnouncer : IAdminTokenAnnouncer
{
    public void Announce(string secret)
    {
        Console.Out.WriteLine("Registry generated an admin token. It is shown this once and stored only as a hash:");
        Console.Out.WriteLine($"    {secret}");
        Console.Out.Flush();
    }
}

/// <summary>
/// There is no built-in secret: when auth is on and no admin token exists, the first start generates one,
/// shows it once and stores its hash.
/// </summary>
internal sealed partial class AuthBootstrap(
    IOptions<AuthOptions> options, TokenTable tokens, ChangeWriter writer, IAdminTokenAnnouncer announcer,
    TimeProvider time, ILogger<AuthBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || tokens.HasAdmin)
        {
            return;
        }

        var secret = TokenSecrets.Generate();
        var now = time.GetUtcNow();
        var token = new TokenRecord(
            TokenIds.New(), "admin", TokenSecrets.Hash(secret), [Roles.Admin], [TokenRules.AllNamespaces],
            TokenRecord.FromApi, now, "bootstrap", ExpiresAt: null);
        // Nodes of a cluster starting together each find no admin: the name they all write makes one of them win, and
        // the others decide again and find its token.
        var created = await writer.WriteAsync(at => tokens.HasAdmin
            ? false
            : new Proposal(at)
                .Read(TokenChanges.Name(token.Name))
                .Add(new TokenPut(token))
                .Audited(TokenAudit.Created(now, new Actor("bootstrap", ""), token, " (generated at first start)"))
                .Then(_ => true), cancellationToken);
        if (created.Value)
        {
            announcer.Announce(secret);
            LogGenerated(token.Id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Auth is on and no admin token existed: generated admin token {TokenId}, printed once to standard output")]
    private partial void LogGenerated(string tokenId);
}

internal static class TokenIds
{
    public static string New() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
