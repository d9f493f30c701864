namespace Registry.Server.Infrastructure;

internal static class DefaultUrl
{
    /// <summary>The address the server listens on when none is configured: loopback only.</summary>
    public const string Value = "http://127.0.0.1:8848";

    /// <summary>Listens on <see cref="Value"/> unless --urls, ASPNETCORE_URLS or Kestrel endpoints say otherwise.</summary>
    public static void UseDefaultUrl(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls(Value);
        }
    }
}
