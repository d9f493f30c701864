using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

internal static class MetadataFailures
{
    public static Failure NotFound(ServiceKey key) => new(
        StatusCodes.Status404NotFound, "metadata-not-found", "The service has no metadata document.",
        $"Service '{key.Name}' (group '{key.Group}', namespace '{key.Namespace}') has no metadata document.");

    public static Failure VersionNotFound(ServiceKey key, long version) => new(
        StatusCodes.Status404NotFound, "metadata-version-not-found", "The metadata document has no such version.",
        $"The metadata document of service '{key.Name}' has no version {version} (or it is no longer kept).");

    public static Failure VersionIsDeletion(ServiceKey key, long version) => new(
        StatusCodes.Status404NotFound, "metadata-version-deleted", "That version is a deletion.",
        $"Version {version} of the metadata document of service '{key.Name}' is its deletion; it has no content.");

    public static Failure VersionMismatch(ServiceKey key, long currentVersion) => new(
        StatusCodes.Status412PreconditionFailed, "version-mismatch", "The metadata document is not at the expected version.",
        currentVersion == 0
            ? $"Service '{key.Name}' has no metadata document, so the precondition fails."
            : $"The metadata document of service '{key.Name}' is at version {currentVersion}; read it again and retry with If-Match: \"{currentVersion}\".",
        new Dictionary<string, object?> { ["currentVersion"] = currentVersion });
}
