using Registry.Server.Infrastructure;

namespace Registry.Server.Log;

/// <summary>
/// Runs a use case the one way the server changes state: decide against the projections, append, and answer once
/// applied. A decision whose reads changed before its entry was appended is made again on the newer state (a
/// concurrent writer got there first), so a use case only ever fails for its own reasons.
/// </summary>
internal sealed partial class ChangeWriter(IChangeLog log, ILogger<ChangeWriter> logger)
{
    /// <summary>Attempts before a use case gives up on a key that keeps changing under it.</summary>
    private const int MaxAttempts = 64;

    private readonly KeyedGate _turns = new();

    /// <param name="serializeOn">
    /// A key that many writers change at once (a config item): they decide one at a time, each as soon as the log has
    /// taken the one before in, building on it, instead of all deciding on the same state and all but one retrying.
    /// </param>
    public async Task<Outcome<T>> WriteAsync<T>(
        Func<ReadPoint, Decision<T>> decide, CancellationToken cancellationToken, string? serializeOn = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var turn = serializeOn is null ? null : await _turns.EnterAsync(serializeOn, cancellationToken);
            var decision = decide(log.ReadPoint);
            if (decision.Failure is { } failure)
            {
                return failure;
            }

            if (decision.Proposal is not { } proposal)
            {
                return decision.Value!;
            }

            if (turn is not null)
            {
                proposal.OnAccepted(turn.Dispose);
            }

            var appended = await log.AppendAsync(proposal, cancellationToken);
            if (appended.Conflict is not { } conflict)
            {
                return decision.Complete!(appended.Revision);
            }

            if (attempt == MaxAttempts)
            {
                LogContention(attempt);
                return new Failure(StatusCodes.Status409Conflict, "concurrent-change", "The data kept changing under the request.",
                    $"Other writers changed what this request depends on {attempt} times in a row; retry it.");
            }

            // Decide again once what got there first is applied.
            turn?.Dispose();
            await log.WaitForAsync(conflict, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "A change gave up after {Attempts} conflicting attempts")]
    private partial void LogContention(int attempts);
}
