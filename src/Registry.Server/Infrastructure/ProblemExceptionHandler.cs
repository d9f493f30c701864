using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Turns every exception that reaches the HTTP pipeline into <c>application/problem+json</c>: validation
/// failures and unreadable requests into 4xx with the field and the rule, an unavailable store into 503,
/// anything else into a 500 that reveals nothing.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => ValidationProblem(validation),
            BadHttpRequestException badRequest => BadRequestProblem(badRequest),
            StoreUnavailableException unavailable => StoreProblem(context, unavailable),
            ChangeTooLargeException tooLarge => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The change is too large for the store.",
                Detail = tooLarge.Message,
                Extensions = { [Problems.CodeMember] = "change-too-large" },
            },
            _ => null,
        };

        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(exception, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The server failed to handle the request.",
                Extensions = { [Problems.CodeMember] = "internal-error" },
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static HttpValidationProblemDetails ValidationProblem(ValidationException exception)
    {
        var problem = new HttpValidationProblemDetails(exception.Errors
            .GroupBy(error => Problems.FieldName(error.PropertyName))
            .ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = string.Join(" ", exception.Errors.Select(error => error.ErrorMessage).Distinct()),
            Extensions = { [Problems.CodeMember] = "validation-failed" },
        };

        // A document that does not parse says where, for editors to jump to.
        if (exception.Errors.Select(error => error.CustomState).OfType<ILocatedError>().FirstOrDefault() is { Line: { } line } located)
        {
            problem.Extensions["line"] = line;
            problem.Extensions["column"] = located.Column;
        }

        return problem;
    }

    private static ProblemDetails BadRequestProblem(BadHttpRequestException exception)
    {
        if (FindJsonException(exception) is { } json)
        {
            var field = Problems.JsonField(json);
            var message = json.Path is null or "$"
                ? json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                    ? "The body must be a JSON object."
                    : "The body is not valid JSON."
                : json.Message.StartsWith("Duplicate", StringComparison.Ordinal) ? $"'{field}' is given more than once."
                : Problems.IsUnknownMember(json) ? $"'{field}' is not a field of this request."
                : $"'{field}' has a value of the wrong type or is not valid JSON.";
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message + where] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read.",
                Detail = message + where,
                Extensions = { [Problems.CodeMember] = "malformed-body" },
            };
        }

        if (RequestRefusals.DescribeBindingFailure(exception) is var (name, rule))
        {
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [rule] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = rule,
                Extensions = { [Problems.CodeMember] = "validation-failed" },
            };
        }

        // Described by status (413, 415, …) in RequestRefusals.Describe, like the same refusals made without an exception.
        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = exception.StatusCode == StatusCodes.Status400BadRequest
                ? "The request could not be read."
                : ReasonPhrase(exception.StatusCode),
            Detail = exception.StatusCode == StatusCodes.Status400BadRequest ? exception.Message : null,
        };
    }

    private static ProblemDetails StoreProblem(HttpContext context, StoreUnavailableException exception)
    {
        context.Response.Headers.RetryAfter = "1";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The store is unavailable.",
            Detail = exception.Message,
            Extensions = { [Problems.CodeMember] = "store-unavailable" },
        };
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase
            ? phrase
            : "The request could not be handled.";

    [LoggerMessage(EventId = 1900, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, PathString path);
}
