namespace Registry.Server.Infrastructure;

/// <summary>
/// A request that something besides its client may end early (the token it was let in with is revoked or expires).
/// Its <see cref="HttpContext.RequestAborted"/> then fires, so every wait and stream of it ends, and the reason
/// travels with it: a stream tells its client why in a last event, a waiting request answers 401.
/// </summary>
internal static class EarlyEnd
{
    private const string Key = "registry.early-end";

    /// <summary>Ends the request when <paramref name="ends"/> fires, for the reason <paramref name="reason"/> gives then.</summary>
    public static void EndEarlyWith(this HttpContext context, Func<EarlyEndReason> reason, CancellationToken ends)
    {
        if (context.Items.ContainsKey(Key))
        {
            return;
        }

        var original = context.RequestAborted;
        var linked = CancellationTokenSource.CreateLinkedTokenSource(original, ends);
        context.Response.RegisterForDispose(linked);
        context.RequestAborted = linked.Token;
        context.Items[Key] = new Registration(reason, original, ends);
    }

    /// <summary>Why the request was ended early, or null when it was not (its client went away, the server stops).</summary>
    public static EarlyEndReason? EndedEarly(this HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) && value is Registration { Ends.IsCancellationRequested: true } registration
            ? registration.Reason()
            : null;

    /// <summary>
    /// After the request was ended early and its waits are over: its <see cref="HttpContext.RequestAborted"/> is the
    /// client's own again, so it can still be answered (with why it ended).
    /// </summary>
    public static void AnswerableAgain(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var value) && value is Registration registration)
        {
            context.RequestAborted = registration.Original;
        }
    }

    private sealed record Registration(Func<EarlyEndReason> Reason, CancellationToken Original, CancellationToken Ends);
}

/// <param name="Code">Stable and machine-readable: <c>token-revoked</c>, <c>token-expired</c>.</param>
/// <param name="Detail">For people.</param>
internal sealed record EarlyEndReason(string Code, string Detail);
