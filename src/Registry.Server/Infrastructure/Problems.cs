using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Registry.Server.Infrastructure;

/// <summary>Turns expected failures into RFC 9457 problem responses.</summary>
internal static class Problems
{
    private static readonly ConcurrentDictionary<string, string> MemberFieldNames = new(StringComparer.Ordinal);

    /// <summary>The extension member carrying <see cref="Failure.Code"/>.</summary>
    public const string CodeMember = "code";

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var extensions = new Dictionary<string, object?> { [CodeMember] = failure.Code };
        foreach (var (key, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return TypedResults.Problem(detail: failure.Detail, statusCode: failure.Status, title: failure.Title, extensions: extensions);
    }

    /// <summary>The client-facing name of a C# member, computed once per member name (a finite set, from code).</summary>
    public static string MemberFieldName(string member) => MemberFieldNames.GetOrAdd(member, FieldName);

    /// <summary>
    /// A field path as clients see it: <c>Metadata.Owner</c> becomes <c>metadata.owner</c>; header names
    /// (<c>If-Match</c>) stay as they are sent.
    /// </summary>
    public static string FieldName(string path) =>
        string.Join('.', path.Split('.').Select(static segment =>
            segment.Length == 0 || segment.Contains('-', StringComparison.Ordinal)
                ? segment
                : char.ToLowerInvariant(segment[0]) + segment[1..]));

    /// <summary>The field a JSON reading error is about, from its path: <c>body</c> when it is the whole document.</summary>
    public static string JsonField(JsonException json) =>
        json.Path is null or "$" ? "body" : FieldName(json.Path.TrimStart('$', '.'));

    /// <summary>Whether a JSON reading error is a member the type read has no field for.</summary>
    public static bool IsUnknownMember(JsonException json) => json.Message.Contains("could not be mapped", StringComparison.Ordinal);
}
