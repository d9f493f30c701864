namespace Registry.Client.Http;

internal static class RegistryUris
{
    /// <summary>A URI relative to the registry's base address, in the configured namespace and group.</summary>
    public static Uri Relative(RegistryClientOptions options, string path, string? query = null) =>
        new($"{path}?namespace={Uri.EscapeDataString(options.Namespace)}&group={Uri.EscapeDataString(options.Group)}"
            + (string.IsNullOrEmpty(query) ? "" : "&" + query), UriKind.Relative);
}
