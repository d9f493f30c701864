using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Security;

namespace Registry.Server.Tests.Security;

/// <summary>A server with auth on and one configured token per role; clients that present them.</summary>
internal static class AuthApp
{
    public const string Admin = "admin-secret";
    public const string Writer = "writer-secret";
    public const string Reader = "reader-secret";
    public const string Registrar = "registrar-secret";
    public const string DevWriter = "dev-writer-secret";

    public static RegistryApp Create(
        FakeTimeProvider? time = null, string storagePath = ":memory:", Dictionary<string, string?>? more = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?> { ["Registry:Auth:Enabled"] = "true" };
        var tokens = new (string Name, string Secret, string Role, string Namespace)[]
        {
            ("ops", Admin, "admin", "*"),
            ("ci", Writer, "write", "*"),
            ("dashboard", Reader, "read", "*"),
            ("orders-app", Registrar, "register", "*"),
            ("dev-team", DevWriter, "write", "dev"),
        };
        for (var i = 0; i < tokens.Length; i++)
        {
            settings[$"Registry:Auth:Tokens:{i}:Name"] = tokens[i].Name;
            settings[$"Registry:Auth:Tokens:{i}:Hash"] = TokenSecrets.Hash(tokens[i].Secret);
            settings[$"Registry:Auth:Tokens:{i}:Roles:0"] = tokens[i].Role;
            settings[$"Registry:Auth:Tokens:{i}:Namespaces:0"] = tokens[i].Namespace;
        }

        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return new RegistryApp(time, storagePath, settings, services: services);
    }

    public static HttpClient Client(this RegistryApp app, string? secret)
    {
        var client = app.CreateClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }
}
