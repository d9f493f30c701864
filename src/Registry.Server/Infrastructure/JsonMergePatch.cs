using System.Text.Json.Nodes;

namespace Registry.Server.Infrastructure;

/// <summary>
/// JSON Merge Patch (RFC 7396): a patch object's members replace those of the target, <c>null</c> removes one,
/// objects merge member by member and anything else (arrays included) replaces what was there.
/// </summary>
internal static class JsonMergePatch
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>The target with the patch applied; neither argument is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject existing ? existing.DeepClone().AsObject() : [];
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
