using Polly;
using Polly.Retry;

namespace Registry.Client.Http;

/// <summary>Retrying until it works or the caller stops: exponential backoff with jitter from one second, through Polly.</summary>
internal static class Backoff
{
    /// <summary>
    /// A pipeline that retries every exception <paramref name="retry"/> accepts (a request that timed out too; never
    /// once the caller cancels), waiting at most <paramref name="maxDelay"/>, and calls <paramref name="onRetry"/> before
    /// each wait.
    /// </summary>
    public static ResiliencePipeline Forever(
        TimeProvider time, TimeSpan maxDelay, Func<Exception, bool> retry, Func<OnRetryArguments<object>, ValueTask>? onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && retry(ex)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = maxDelay,
                OnRetry = onRetry,
            })
            .Build();
}
