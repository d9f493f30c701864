using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Requests ASP.NET Core refuses before an endpoint runs (a query value of the wrong type, a missing or
/// unsupported body, an unknown route or method, a body over the limit), described like every other error:
/// the field and the rule, or what to change, with a <c>code</c>.
/// </summary>
internal static partial class RequestRefusals
{
    private const int MaxEchoedValue = 64;

    /// <summary>
    /// The parameter and the rule of a value that could not be bound. The framework names them only in its
    /// message, in C# terms (<c>Failed to bind parameter "Nullable&lt;int&gt; pageSize" from "abc".</c>).
    /// </summary>
    public static (string Field, string Message)? DescribeBindingFailure(BadHttpRequestException exception)
    {
        var text = exception.Message;
        if (FailedToBind().Match(text) is { Success: true } failed)
        {
            var field = Problems.FieldName(failed.Groups["name"].Value);
            var value = failed.Groups["value"].Value;
            value = value.Length > MaxEchoedValue ? value[..MaxEchoedValue] + "…" : value;
            return (field, $"'{field}' {Rule(failed.Groups["type"].Value)}; got '{value}'.");
        }

        if (NotProvided().Match(text) is { Success: true } missing)
        {
            var field = Problems.FieldName(missing.Groups["name"].Value);
            return missing.Groups["source"].Value == "body" ? ("body", "A JSON object body is required.") : (field, $"'{field}' is required.");
        }

        return text.StartsWith("Implicit body inferred", StringComparison.Ordinal)
            ? ("body", "A JSON object body is required.")
            : null;
    }

    /// <summary>
    /// Completes a problem that carries only a status (written by the status code pages or for a refusal
    /// without a description) with a <c>code</c> and what to change.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey(Problems.CodeMember))
        {
            return;
        }

        var request = context.HttpContext.Request;
        var (code, detail) = problem.Status switch
        {
            StatusCodes.Status404NotFound => ("route-not-found",
                $"No route matches {request.Method} {request.Path}; the API is described at /swagger.{CutInstanceId(request)}"),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", $"{request.Method} is not allowed on {request.Path}.{CutInstanceId(request)}"),
            StatusCodes.Status413PayloadTooLarge => ("body-too-large", BodyTooLarge(context.HttpContext, problem)),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", HttpMethods.IsPatch(request.Method)
                ? $"The body must be a JSON merge patch, sent with 'Content-Type: {JsonMergePatch.MediaType}' (or application/json); got '{request.ContentType ?? "none"}'."
                : $"The body must be JSON, sent with 'Content-Type: application/json'; got '{request.ContentType ?? "none"}'."),
            StatusCodes.Status400BadRequest => ("bad-request", problem.Detail ?? "The request could not be read."),
            _ => ((string?)null, problem.Detail),
        };

        if (code is not null)
        {
            problem.Extensions[Problems.CodeMember] = code;
            problem.Detail = detail;
        }
    }

    /// <summary>
    /// A hint when the path ends at an instance id without its '#' parts (<c>…/instances/10.0.0.1</c>): a '#' sent
    /// unencoded starts the URL's fragment, which clients never send, so the id and what followed it were cut off.
    /// </summary>
    private static string CutInstanceId(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var at = path.LastIndexOf("/instances/", StringComparison.Ordinal);
        return at >= 0 && path[(at + "/instances/".Length)..] is { Length: > 0 } id && !id.Contains('/', StringComparison.Ordinal)
            && !id.Contains('#', StringComparison.Ordinal)
            ? $" If the instance id was '{id}#<port>#<cluster>', its '#' must be sent as %23 (…/instances/{id}%23<port>%23<cluster>): an unencoded '#' ends the URL, and the rest never reaches the server."
            : "";
    }

    private static string BodyTooLarge(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is not { } limit)
        {
            return "The body is too large.";
        }

        problem.Extensions["maxBytes"] = limit;
        return string.Create(CultureInfo.InvariantCulture, $"The body is larger than the {limit} bytes this route takes.");
    }

    private static string Rule(string type) =>
        (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type) switch
        {
            "bool" => "must be true or false",
            "int" => "must be a whole number, at most 2147483647",
            "long" => "must be a whole number",
            "double" or "decimal" or "float" => "must be a number",
            "DateTimeOffset" or "DateTime" => "must be a date and time (ISO 8601)",
            "TimeSpan" => "must be a duration (hh:mm:ss)",
            _ => "has a value that is not valid",
        };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ ]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ ]+)\" was not provided from (?<source>.+)\\.$", RegexOptions.Singleline)]
    private static partial Regex NotProvided();
}
