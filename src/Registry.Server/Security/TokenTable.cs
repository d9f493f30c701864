using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Security;

/// <summary>
/// The tokens the server accepts: those of configuration and those created through the API, a projection of the
/// log (stored by hash). Looked up by the hash of the presented secret on every authenticated request.
/// </summary>
internal sealed class TokenTable : IProjection
{
    private static readonly EarlyEndReason Revoked = new("token-revoked", "The token was revoked.");
    private static readonly EarlyEndReason Expired = new("token-expired", "The token expired.");

    private readonly ConcurrentDictionary<string, TokenRecord> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _lives = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TokenTable(IOptions<AuthOptions> options, TimeProvider time)
    {
        _time = time;
        foreach (var token in options.Value.Tokens)
        {
            _byHash[token.Hash] = new TokenRecord(
                $"config-{token.Name}", token.Name, token.Hash, token.Roles,
                token.Namespaces.Count > 0 ? token.Namespaces : [TokenRules.AllNamespaces], TokenRecord.FromConfig,
                DateTimeOffset.UnixEpoch, "configuration", ExpiresAt: null);
        }
    }

    public ICollection<TokenRecord> All => _byHash.Values;

    public bool HasAdmin => _byHash.Values.Any(t => t.Has(Roles.Admin) && t.SpansAllNamespaces);

    public void Load(IDocumentReader snapshot)
    {
        foreach (var token in TokenChanges.Collection.ReadAll(snapshot))
        {
            _byHash.TryAdd(token.Hash, token);
        }
    }

    public void Apply(LogEntry entry, EventBatch events)
    {
        foreach (var change in entry.Changes)
        {
            switch (change)
            {
                case TokenPut put:
                    _byHash[put.Token.Hash] = put.Token;
                    break;
                case TokenRemoved removed when FindById(removed.Id) is { } token:
                    // Gone first, then its requests ended: one that looked it up meanwhile sees it gone (LifeOf).
                    _byHash.TryRemove(token.Hash, out _);
                    if (_lives.TryRemove(token.Id, out var life))
                    {
                        // Before any later entry is applied: nothing published after the revocation reaches its streams.
                        life.Cancel();
                    }

                    break;
            }
        }
    }

    /// <summary>The live token with this secret, or null (unknown, revoked or expired).</summary>
    public TokenRecord? Find(string secret, DateTimeOffset now) =>
        _byHash.TryGetValue(TokenSecrets.Hash(secret), out var token) && (token.ExpiresAt is null || token.ExpiresAt > now)
            ? token
            : null;

    /// <summary>
    /// Fires when <paramref name="token"/> is revoked or expires, with why; never for a token of configuration, which
    /// neither expires nor can be revoked. Long-lived requests (watches, long polls) end with it.
    /// </summary>
    public (CancellationToken Ends, Func<EarlyEndReason> Reason)? LifeOf(TokenRecord token)
    {
        if (token.Source == TokenRecord.FromConfig)
        {
            return null;
        }

        var life = _lives.GetOrAdd(token.Id, static (id, state) =>
        {
            var (expiresAt, table) = state;
            var life = expiresAt is { } at
                ? new CancellationTokenSource(Max(at - table._time.GetUtcNow(), TimeSpan.Zero), table._time)
                : new CancellationTokenSource();

            // An expired token's requests are ended and its entry goes with them.
            life.Token.Register(() => table._lives.TryRemove(KeyValuePair.Create(id, life)));
            return life;
        }, (token.ExpiresAt, this));
        if (!_byHash.ContainsKey(token.Hash))
        {
            // Revoked between authentication and here.
            life.Cancel();
        }

        return (life.Token, () => _byHash.ContainsKey(token.Hash) ? Expired : Revoked);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public TokenRecord? FindById(string id) => _byHash.Values.FirstOrDefault(t => t.Id == id);

    public TokenRecord? FindByName(string name) =>
        _byHash.Values.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A token created (only its hash is kept).</summary>
internal sealed record TokenPut(TokenRecord Token) : Change
{
    public override string Key() => TokenChanges.Key(Token.Id);

    public override IEnumerable<string> Scopes() => [TokenChanges.Name(Token.Name)];

    public override void Materialize(IDocumentWriter writer, long revision) => TokenChanges.Collection.Put(writer, Token.Id, Token);
}

/// <summary>A token revoked.</summary>
internal sealed record TokenRemoved(string Id) : Change
{
    public override string Key() => TokenChanges.Key(Id);

    public override void Materialize(IDocumentWriter writer, long revision) => TokenChanges.Collection.Delete(writer, Id);
}

internal static class TokenChanges
{
    public static readonly StoreCollection<TokenRecord> Collection = new("tokens", TokenJson.Default.TokenRecord);

    public static readonly ChangeType[] Types =
    [
        ChangeType.Of("token.put", TokenJson.Default.TokenPut),
        ChangeType.Of("token.removed", TokenJson.Default.TokenRemoved),
    ];

    public static string Key(string id) => "tokens/" + id;

    /// <summary>Names are unique whatever their case: creating one depends on no other creation of that name.</summary>
    public static string Name(string name) => "token-names/" + name.ToLowerInvariant();
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenRecord))]
[JsonSerializable(typeof(TokenPut))]
[JsonSerializable(typeof(TokenRemoved))]
internal sealed partial class TokenJson : JsonSerializerContext;
