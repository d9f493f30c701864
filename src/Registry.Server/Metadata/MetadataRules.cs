namespace Registry.Server.Metadata;

/// <summary>The limits of a metadata document.</summary>
internal static class MetadataRules
{
    public const int MaxProtocols = 32;
    public const int MaxTags = 64;
    public const int MaxTagLength = 128;
    public const int MaxInstanceWeights = 10_000;
}
