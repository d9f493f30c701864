using System.Globalization;
using System.Threading.RateLimiting;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Registry.Server.Infrastructure;

/// <summary>Request limits (section <c>Registry:Limits</c>): body and header sizes, and the write rate per client.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Registry:Limits";

    /// <summary>The largest JSON body, in bytes; routes with larger documents say so (config content has its own limit).</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The largest metadata document body, in bytes.</summary>
    public int MaxMetadataBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>All request headers together, in bytes; beyond it Kestrel answers 431.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    public int MaxHeaderCount { get; set; } = 64;

    /// <summary>
    /// Open connections at most; beyond it new ones are closed at once. 0 (the default) derives it from the process's
    /// file-descriptor limit; a larger value than that leaves room for is lowered to it.
    /// </summary>
    public int MaxConnections { get; set; }

    /// <summary>Whether writes are rate limited per token (or per client address without one).</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>Writes a client may make per second, sustained.</summary>
    public int WritesPerSecond { get; set; } = 1000;

    /// <summary>Writes a client may make in a burst above the sustained rate.</summary>
    public int WriteBurst { get; set; } = 2000;
}

internal sealed class LimitsOptionsValidator : AbstractValidator<LimitsOptions>
{
    public LimitsOptionsValidator()
    {
        RuleFor(o => o.MaxBodyBytes).InclusiveBetween(1024, 64 * 1024 * 1024);
        RuleFor(o => o.MaxMetadataBodyBytes).InclusiveBetween(1024, 64 * 1024 * 1024);
        RuleFor(o => o.MaxHeaderBytes).InclusiveBetween(1024, 1024 * 1024);
        RuleFor(o => o.MaxHeaderCount).InclusiveBetween(8, 1000);
        RuleFor(o => o.MaxConnections).GreaterThanOrEqualTo(0);
        RuleFor(o => o.WritesPerSecond).InclusiveBetween(1, 10_000_000);
        RuleFor(o => o.WriteBurst).InclusiveBetween(1, 10_000_000);
    }
}

internal static class Limits
{
    public const string WritePolicy = "writes";

    /// <summary>
    /// Body, header, connection and write-rate limits. <paramref name="outboundSockets"/> says how many sockets the
    /// server may open itself at once (health-check probes), kept out of the connection cap.
    /// </summary>
    public static IServiceCollection AddRegistryLimits(this IServiceCollection services, Func<IServiceProvider, int> outboundSockets)
    {
        services.AddSingleton(provider => new ConnectionGate(
            ConnectionGate.Cap(
                provider.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxConnections, ConnectionGate.RaiseFileLimit() ?? long.MaxValue,
                ConnectionGate.OpenDescriptors(), outboundSockets(provider)),
            provider.GetRequiredService<ILogger<ConnectionGate>>()));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>, ConnectionGate>((kestrel, limits, gate) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.Value.MaxHeaderCount;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(gate.Wrap));
        });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            var o = limits.Value;
            options.AddPolicy(WritePolicy, context => o.RateLimitEnabled
                ? RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ =>
                {
                    var (tokens, period) = Refill(o.WritesPerSecond);
                    return new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = o.WriteBurst,
                        TokensPerPeriod = tokens,
                        ReplenishmentPeriod = period,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    };
                })
                : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// How a bucket refills to give exactly <paramref name="writesPerSecond"/>: as often as possible up to ten
    /// times a second, in equal whole portions (19 a second refill once a second; 1000, 100 every 100 ms).
    /// </summary>
    public static (int Tokens, TimeSpan Period) Refill(int writesPerSecond)
    {
        var refills = Enumerable.Range(1, 10).Last(n => writesPerSecond % n == 0);
        return (writesPerSecond / refills, TimeSpan.FromSeconds(1.0 / refills));
    }

    /// <summary>Marks a write: rate limited per client.</summary>
    public static RouteHandlerBuilder RateLimitedWrite(this RouteHandlerBuilder builder) =>
        builder.RequireRateLimiting(WritePolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>Lets this route take bodies up to the limit <paramref name="bytes"/> picks.</summary>
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder builder, Func<LimitsOptions, int> bytes) =>
        builder.WithBodyLimit(services => bytes(services.GetRequiredService<IOptions<LimitsOptions>>().Value));

    /// <summary>Lets this route take bodies up to the limit <paramref name="bytes"/> picks from the options it needs.</summary>
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder builder, Func<IServiceProvider, long> bytes) =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>
    /// Applies a route's own body limit once routing chose the route and before the body is read (binding
    /// reads it before any endpoint filter runs).
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>() is { } limit
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit.Bytes(context.RequestServices);
            }

            // Not async: no state machine on every request.
            return next(context);
        });

    /// <summary>A client: its token, else its address.</summary>
    private static string PartitionOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } token }
            ? "token:" + token
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "");

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many writes.",
                Detail = $"This client makes writes faster than the server allows; retry after {seconds} s.",
                Extensions = { [Problems.CodeMember] = "rate-limited" },
            },
        });
    }
}

/// <summary>Endpoint metadata: a body limit other than the default.</summary>
internal sealed record BodyLimit(Func<IServiceProvider, long> Bytes);
