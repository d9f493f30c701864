using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>
/// Reads a config item: the version meant for the client (the gray version, if the client matches its rule, else the
/// released one), or a version from history. With <c>WaitAfterVersion</c> it is a long poll: it answers as soon as the
/// version meant for the client is another, or <see cref="ConfigRead.NotModified"/> at the timeout.
/// </summary>
internal sealed record GetConfigQuery(
    string Namespace, string Group, string DataId, long? Version, long? WaitAfterVersion, long? TimeoutMs, ConfigClient Client)
    : IQuery<Outcome<ConfigRead>>, IConfigAddress;

/// <summary>
/// A version with its content; or, for a long poll that timed out, <see cref="NotModified"/> with the current
/// version (null when the key has none), without content.
/// </summary>
internal sealed record ConfigRead(ConfigInfo? Config, string Content, bool NotModified = false);

internal sealed class GetConfigValidator : AbstractValidator<GetConfigQuery>
{
    public GetConfigValidator(IOptions<ConfigOptions> options)
    {
        var maxTimeout = (long)options.Value.MaxLongPollTimeout.TotalMilliseconds;
        this.ValidateConfigAddress();
        RuleFor(q => q.Version).GreaterThanOrEqualTo(1);
        RuleFor(q => q.WaitAfterVersion).GreaterThanOrEqualTo(0);
        RuleFor(q => q.TimeoutMs).InclusiveBetween(1, maxTimeout);
        RuleFor(q => q.Version).Null().When(q => q.WaitAfterVersion is not null)
            .WithMessage("'version' and 'waitAfterVersion' cannot be combined.");
        RuleFor(q => q.TimeoutMs).Null().When(q => q.WaitAfterVersion is null)
            .WithMessage("'timeoutMs' only applies with 'waitAfterVersion'.");
    }
}

internal sealed class GetConfigHandler(
    ConfigTable configs, ConfigClients clients, ChangeFeed feed, IOptions<ConfigOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime)
    : IQueryHandler<GetConfigQuery, Outcome<ConfigRead>>
{
    public async ValueTask<Outcome<ConfigRead>> Handle(GetConfigQuery query, CancellationToken cancellationToken)
    {
        var key = query.ConfigKey();
        if (query.WaitAfterVersion is not { } after)
        {
            return query.Version is { } version
                ? await ReadVersionAsync(key, version, cancellationToken)
                : ReadCurrent(key, query.Client, ConfigClients.Read);
        }

        // A poll ends at its timeout, counted from before it is seen waiting, or early (as unchanged) when the server
        // stops.
        var timeout = query.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : options.Value.DefaultLongPollTimeout;
        using var expiry = new CancellationTokenSource(timeout, time);

        // Subscribe before looking, so a change between the look and the wait cannot be missed.
        using var subscription = feed.Subscribe(change =>
            change.Topic.Kind == ConfigTable.EventKind && change.Topic.Namespace == key.Namespace
            && change.Topic.Group == key.Group && change.Topic.Name == key.DataId);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, lifetime.ApplicationStopping, cancellationToken);
        // A gray release widened or ended changes the version meant for a client without a newer one: any other counts.
        while (MeantVersion(key, query.Client) == after)
        {
            try
            {
                if (!await subscription.Events.WaitToReadAsync(wait.Token))
                {
                    break;
                }

                while (subscription.Events.TryRead(out _))
                {
                }
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return new ConfigRead(configs.Resolve(key, query.Client)?.ToInfo(key), "", NotModified: true);
            }
        }

        return ReadCurrent(key, query.Client, ConfigClients.Poll);
    }

    /// <summary>The version meant for the client, or the deletion the item's history ends with, or 0.</summary>
    private long MeantVersion(ConfigKey key, ConfigClient client) =>
        configs.Resolve(key, client)?.Version ?? configs.Find(key)?.Version ?? 0;

    private Outcome<ConfigRead> ReadCurrent(ConfigKey key, ConfigClient client, string via)
    {
        if (configs.Resolve(key, client) is not { Body: { } body } meant)
        {
            return ConfigFailures.NotFound(key);
        }

        clients.Saw(key, client, meant, via);
        return new ConfigRead(meant.ToInfo(key), body.Content);
    }

    private async Task<Outcome<ConfigRead>> ReadVersionAsync(ConfigKey key, long version, CancellationToken cancellationToken)
    {
        var found = await configs.ReadVersionAsync(key, version, cancellationToken);
        return found.Value is { Body: { } body } read ? new ConfigRead(read.ToInfo(key), body.Content) : found.Failure!;
    }
}
