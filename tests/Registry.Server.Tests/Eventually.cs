namespace Registry.Server.Tests;

/// <summary>
/// Waits for an effect of background work that a test cannot await directly (a sweep started by a timer, a
/// subscription a request opens, an audit batch written off the request path). The bound is generous and
/// only there so that a broken server fails the test instead of hanging it: how fast the machine is never
/// decides the outcome.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static Task TrueAsync(Func<bool> condition, string what) =>
        TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not {what} after {Bound.TotalSeconds:F0} s.");
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Observes until <paramref name="condition"/> holds and returns what was observed last.</summary>
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, string what)
    {
        var last = await observe();
        await TrueAsync(async () => condition(last = await observe()), what);
        return last;
    }
}
