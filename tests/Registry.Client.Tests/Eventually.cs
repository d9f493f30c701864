namespace Registry.Client.Tests;

/// <summary>
/// Waits for an effect of background work (a registration, a pushed change) that the test cannot await
/// directly; fails with the last observed value after a generous bound. Not a timing assertion: only the
/// outcome is checked.
/// </summary>
internal static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = await observe();
        while (!condition(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not {what}; last seen: {Describe(last)}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
            last = await observe();
        }

        return last;
    }

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.ICollection items => $"{items.Count} items: {System.Text.Json.JsonSerializer.Serialize(value)}",
        _ => System.Text.Json.JsonSerializer.Serialize(value),
    };
}
