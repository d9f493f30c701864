using Microsoft.AspNetCore.Http.HttpResults;

namespace Registry.Server.Infrastructure;

/// <summary>Maps use-case outcomes to typed HTTP results.</summary>
internal static class OutcomeResults
{
    /// <summary>Documents the problems any write can end in: the store could not make it durable.</summary>
    public static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Documents the problems of a refused request: no valid token (401), not allowed (403).</summary>
    public static RouteHandlerBuilder ProducesAccessProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(outcome.Value);

    /// <summary>A 204 carrying the revision the change took, or the failure.</summary>
    public static Results<NoContent, ProblemHttpResult> ToNoContent(this Outcome<long> outcome, HttpResponse response)
    {
        if (outcome.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.SetRevision(outcome.Value);
        return TypedResults.NoContent();
    }
}
