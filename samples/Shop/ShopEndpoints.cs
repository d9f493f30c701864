using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Client.Discovery;

namespace Registry.Samples.Shop;

internal static class ShopEndpoints
{
    public const int MaxCalls = 10_000;

    public static IEndpointRouteBuilder MapShop(this IEndpointRouteBuilder app)
    {
        var shop = app.MapGroup("/shop");
        shop.MapGet("/buy", Buy).WithName(nameof(Buy));
        shop.MapGet("/spread", Spread).WithName(nameof(Spread));
        return app;
    }

    /// <summary>Calls <c>orders</c> once and returns its answer; 502 when no instance could answer.</summary>
    internal static async Task<Results<Ok<OrdersHello>, ProblemHttpResult>> Buy(OrdersClient orders, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await orders.HelloAsync(cancellationToken));
        }
        catch (Exception ex) when (IsCallFailure(ex, cancellationToken))
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway, title: "orders could not be reached.");
        }
    }

    /// <summary>Calls <c>orders</c> <paramref name="calls"/> times (default 100) and counts the answers per instance.</summary>
    /// <param name="calls">How many calls to make, 1 to 10000.</param>
    internal static async Task<Results<Ok<SpreadReport>, ValidationProblem>> Spread(int? calls, OrdersClient orders, CancellationToken cancellationToken)
    {
        var count = calls ?? 100;
        if (count is < 1 or > MaxCalls)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["calls"] = [$"'calls' must be between 1 and {MaxCalls}."],
            });
        }

        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failed = 0;
        for (var i = 0; i < count; i++)
        {
            try
            {
                var hello = await orders.HelloAsync(cancellationToken);
                answers[hello.Instance] = answers.GetValueOrDefault(hello.Instance) + 1;
            }
            catch (Exception ex) when (IsCallFailure(ex, cancellationToken))
            {
                failed++;
            }
        }

        return TypedResults.Ok(new SpreadReport(count, failed, answers));
    }

    // A refused connection, a timeout, no instance to call or no registry to ask; not the caller going away.
    private static bool IsCallFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or RegistryUnavailableException or NoInstanceAvailableException or InvalidOperationException or JsonException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}

/// <summary>How many of <see cref="Calls"/> each instance answered, and how many failed.</summary>
internal sealed record SpreadReport(int Calls, int Failed, IReadOnlyDictionary<string, int> Instances);
