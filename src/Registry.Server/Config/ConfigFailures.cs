using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

internal static class ConfigFailures
{
    public static Failure NotFound(ConfigKey key) => new(
        StatusCodes.Status404NotFound, "config-not-found", "The config does not exist.",
        $"Config '{key.DataId}' does not exist in group '{key.Group}' of namespace '{key.Namespace}'.");

    public static Failure VersionNotFound(ConfigKey key, long version) => new(
        StatusCodes.Status404NotFound, "config-version-not-found", "The config version does not exist.",
        $"Config '{key.DataId}' (group '{key.Group}', namespace '{key.Namespace}') has no version {version} in its history.");

    public static Failure VersionIsDeletion(ConfigKey key, long version) => new(
        StatusCodes.Status404NotFound, "config-version-deleted", "That version is a deletion.",
        $"Version {version} of config '{key.DataId}' deleted it; it has no content.");

    public static Failure VersionMismatch(ConfigKey key, long currentVersion) => new(
        StatusCodes.Status412PreconditionFailed, "version-mismatch", "The config is not at the expected version.",
        currentVersion == 0
            ? $"Config '{key.DataId}' does not exist (or was deleted), so the precondition fails."
            : $"Config '{key.DataId}' is at version {currentVersion}; read it again and retry with If-Match: \"{currentVersion}\".",
        new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static Failure ContentTooLarge(int maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge, "content-too-large", "The content is too large.",
        $"Config content may be at most {maxBytes} bytes.", new Dictionary<string, object?> { ["maxBytes"] = maxBytes });

    public static Failure ContentNotUtf8() => new(
        StatusCodes.Status400BadRequest, "content-not-utf8", "The content is not UTF-8 text.",
        "Config content must be text encoded as UTF-8.",
        new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["content"] = ["'content' must be text encoded as UTF-8."] } });

    public static Failure GrayNotFound(ConfigKey key) => new(
        StatusCodes.Status404NotFound, "gray-not-found", "The config has no gray version.",
        $"Config '{key.DataId}' (group '{key.Group}', namespace '{key.Namespace}') has no gray version; publish one first.");

    public static Failure GrayWithoutRelease(ConfigKey key) => new(
        StatusCodes.Status409Conflict, "no-released-version", "A gray version needs a released version.",
        $"Config '{key.DataId}' (group '{key.Group}', namespace '{key.Namespace}') has no released version for the other clients to "
        + "fall back to; publish it first.");
}
