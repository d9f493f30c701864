using Microsoft.AspNetCore.Http.HttpResults;

namespace Registry.Server.Infrastructure;

/// <summary>Turns expected failures into RFC 9457 problem responses.</summary>
internal static class Problems
{
    /// <summary>The extension member carrying <see cref="Failure.Code"/>.</summary>
    public const string CodeMember = "code";

    public static ProblemHttpResult ToProblem(this Failure failure) =>
        TypedResults.Problem(
            detail: failure.Detail,
            statusCode: failure.Status,
            title: failure.Title,
            extensions: new Dictionary<string, object?> { [CodeMember] = failure.Code });

    /// <summary>A field path as clients see it: <c>Metadata.Owner</c> becomes <c>metadata.owner</c>.</summary>
    public static string FieldName(string path) =>
        string.Join('.', path.Split('.').Select(static segment =>
            segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));
}
