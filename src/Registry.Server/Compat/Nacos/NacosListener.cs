using System.Net;
using System.Text;
using FluentValidation;
using Mediator;
using Registry.Server.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>One key a Nacos config listener watches, with the md5 it holds (<c>""</c>: it has none) and the tenant as it sent it.</summary>
internal sealed record ListenKey(string DataId, string Group, string? Tenant, string Md5)
{
    public ConfigKey Key { get; } = new(NacosNames.Namespace(Tenant), Group, DataId);
}

/// <summary>
/// Nacos's config long poll: the keys whose md5 differs from the listener's at once, else the first that
/// changes within <see cref="Hold"/> (nothing at its end). A null hold answers at once either way.
/// </summary>
internal sealed record ListenConfigsQuery(IReadOnlyList<ListenKey> Keys, TimeSpan? Hold, ConfigClient Client) : IQuery<IReadOnlyList<ListenKey>>;

internal sealed class ListenConfigsValidator : AbstractValidator<ListenConfigsQuery>
{
    public const int MaxKeys = 10_000;

    public ListenConfigsValidator() =>
        RuleFor(q => q.Keys.Count).LessThanOrEqualTo(MaxKeys).OverridePropertyName("Listening-Configs")
            .WithMessage($"'Listening-Configs' may list at most {MaxKeys} keys.");
}

/// <summary>
/// Holds the poll on a change-feed subscription and a timer of the injected clock, so no thread waits.
/// Subscribing before the first comparison means a change between the look and the wait is not missed.
/// </summary>
internal sealed class ListenConfigsHandler(
    ConfigTable configs, ConfigClients clients, ChangeFeed feed, TimeProvider time, IHostApplicationLifetime lifetime)
    : IQueryHandler<ListenConfigsQuery, IReadOnlyList<ListenKey>>
{
    public async ValueTask<IReadOnlyList<ListenKey>> Handle(ListenConfigsQuery query, CancellationToken cancellationToken)
    {
        var watched = query.Keys.Select(static k => k.Key).ToHashSet();
        // The hold counts from before the poll is seen waiting.
        using var expiry = query.Hold is { } hold ? new CancellationTokenSource(hold, time) : null;
        using var subscription = query.Hold is null ? null : feed.Subscribe(change =>
            change.Topic.Kind == ConfigTable.EventKind
            && watched.Contains(new ConfigKey(change.Topic.Namespace, change.Topic.Group, change.Topic.Name)));
        var changed = Changed(query.Keys, query.Client, noteClient: true);
        if (changed.Count > 0 || subscription is null)
        {
            return changed;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(expiry!.Token, lifetime.ApplicationStopping, cancellationToken);
        try
        {
            while (await subscription.Events.WaitToReadAsync(wait.Token))
            {
                while (subscription.Events.TryRead(out _))
                {
                }

                if (Changed(query.Keys, query.Client) is { Count: > 0 } now)
                {
                    return now;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        // The hold ended, the server is stopping, or the subscriber fell behind: answer with what differs now.
        return Changed(query.Keys, query.Client);
    }

    /// <summary>
    /// The keys whose version meant for the client (by its address, for a beta) has another md5 than it holds; the first
    /// look notes which version each key has for it.
    /// </summary>
    private List<ListenKey> Changed(IReadOnlyList<ListenKey> keys, ConfigClient client, bool noteClient = false)
    {
        var changed = new List<ListenKey>();
        foreach (var key in keys)
        {
            var meant = configs.Resolve(key.Key, client);
            if (noteClient && meant is not null)
            {
                clients.Saw(key.Key, client, meant, ConfigClients.Poll);
            }

            if ((meant?.Body?.Md5 ?? "") != key.Md5)
            {
                changed.Add(key);
            }
        }

        return changed;
    }
}

/// <summary><c>POST /nacos/v1/cs/configs/listener</c>: the wire format of Nacos's long poll.</summary>
internal static class NacosListener
{
    public const char FieldSeparator = '\u0002';
    public const char EntrySeparator = '\u0001';

    private static readonly TimeSpan MinHold = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FixedDelay = TimeSpan.FromMilliseconds(500);

    public static async Task<IResult> Listen(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var keys = Parse(p.Required("Listening-Configs"));
        foreach (var ns in keys.Select(static k => k.Key.Namespace).Distinct())
        {
            NacosAccess.Demand(http, p, Roles.Read, ns);
        }

        var headers = http.Request.Headers;
        TimeSpan? hold = null;
        if (headers["Long-Pulling-Timeout"].ToString() is { Length: > 0 } timeout && !string.Equals(
                headers["Long-Pulling-Timeout-No-Hangup"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(timeout, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms) || ms < 0)
            {
                throw NacosException.Invalid("Long-Pulling-Timeout", $"'{timeout}' is not a number of milliseconds");
            }

            hold = TimeSpan.FromMilliseconds(ms) - FixedDelay is var wanted && wanted > MinHold ? wanted : MinHold;
        }

        IReadOnlyList<ListenKey> changed;
        try
        {
            // The request's own token now: it also ends when the listener's token is revoked or expires.
            changed = await mediator.Send(new ListenConfigsQuery(keys, hold, GrayRules.ClientOf(http.Request)), http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.EndedEarly() is { } ended)
        {
            http.AnswerableAgain();
            throw NacosException.Forbidden(ended.Code == "token-expired" ? "token expired!" : "token invalid!");
        }

        var response = http.Response.Headers;
        response.Pragma = "no-cache";
        response.Expires = "0";
        response.CacheControl = "no-cache,no-store";
        return NacosResults.Text(changed.Count == 0 ? "" : Encode(changed) + "\n");
    }

    /// <summary>
    /// <c>dataId^Bgroup^Bmd5^A</c> or <c>dataId^Bgroup^Bmd5^Btenant^A</c> per key (^A = U+0001, ^B = U+0002).
    /// </summary>
    public static List<ListenKey> Parse(string text)
    {
        var keys = new List<ListenKey>();
        foreach (var entry in text.Split(EntrySeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = entry.Split(FieldSeparator);
            if (fields.Length > 4)
            {
                throw new NacosException(StatusCodes.Status400BadRequest, "invalid protocol,too much key");
            }

            if (fields.Length < 3)
            {
                throw new NacosException(StatusCodes.Status400BadRequest, "invalid protocol,too few key");
            }

            keys.Add(new ListenKey(fields[0], fields[1], fields.Length == 4 ? fields[3] : null, fields[2]));
            if (keys.Count > ListenConfigsValidator.MaxKeys)
            {
                throw new NacosException(StatusCodes.Status400BadRequest, $"too many listening keys: at most {ListenConfigsValidator.MaxKeys}");
            }
        }

        return keys;
    }

    /// <summary>The changed keys as Nacos writes them: <c>URLEncoder.encode("dataId^Bgroup[^Btenant]^A…")</c>.</summary>
    public static string Encode(IEnumerable<ListenKey> keys)
    {
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            text.Append(key.DataId).Append(FieldSeparator).Append(key.Group);
            if (!string.IsNullOrWhiteSpace(key.Tenant))
            {
                text.Append(FieldSeparator).Append(key.Tenant);
            }

            text.Append(EntrySeparator);
        }

        return WebUtility.UrlEncode(text.ToString());
    }
}
