using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Registry.Server.Storage;

namespace Registry.Server.Security;

/// <summary>
/// The tokens the server accepts: those of configuration and those created through the API (stored, by
/// hash). Looked up by the hash of the presented secret on every authenticated request.
/// </summary>
internal sealed class TokenRegistry : IStoreLoadable
{
    public static readonly StoreCollection<TokenRecord> Collection = new("tokens", TokenStoreJson.Default.TokenRecord);

    private readonly ConcurrentDictionary<string, TokenRecord> _byHash = new(StringComparer.Ordinal);

    public TokenRegistry(IOptions<AuthOptions> options)
    {
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

    public void Load(IRegistryStore store, DateTimeOffset now)
    {
        foreach (var token in Collection.ReadAll(store))
        {
            _byHash.TryAdd(token.Hash, token);
        }
    }

    /// <summary>The live token with this secret, or null (unknown, revoked or expired).</summary>
    public TokenRecord? Find(string secret, DateTimeOffset now) =>
        _byHash.TryGetValue(TokenSecrets.Hash(secret), out var token) && (token.ExpiresAt is null || token.ExpiresAt > now)
            ? token
            : null;

    public TokenRecord? FindById(string id) => _byHash.Values.FirstOrDefault(t => t.Id == id);

    public void Put(ChangeSet changes, TokenRecord token)
    {
        changes.Put(Collection, token.Id, token);
        _byHash[token.Hash] = token;
        changes.OnRollback(() => _byHash.TryRemove(token.Hash, out _));
    }

    public void Remove(ChangeSet changes, TokenRecord token)
    {
        changes.Delete(Collection, token.Id);
        _byHash.TryRemove(token.Hash, out _);
        changes.OnRollback(() => _byHash[token.Hash] = token);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenRecord))]
internal sealed partial class TokenStoreJson : JsonSerializerContext;
