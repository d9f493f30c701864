using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Registry.Client.Http;
using Registry.Client.Telemetry;
using Registry.Contracts.Naming;

namespace Registry.Client.Registration;

/// <summary>
/// Registers the application once the host has started (its address from the options, else from the
/// server's addresses), beats at the interval the registry returns, registers again when the registry
/// answers a beat with 404 (after an eviction or a registry restart without the instance), and deregisters
/// on graceful shutdown. Calls go through the resilient client; the first registration is retried with
/// backoff until it succeeds.
/// </summary>
internal sealed partial class InstanceRegistrar(
    IHttpClientFactory clients,
    IOptions<RegistryClientOptions> options,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    TimeProvider time,
    ILogger<InstanceRegistrar> logger) : BackgroundService
{
    private readonly RegistryClientOptions _options = options.Value;
    private InstanceInfo? _registered;
    private bool _reportedHealthy = true;

    /// <summary>The registration as the registry last confirmed it; null before the first one succeeded.</summary>
    public InstanceInfo? Registered => Volatile.Read(ref _registered);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Registered is { } instance && _options.Registration.DeregisterOnShutdown)
        {
            try
            {
                await Api().DeregisterAsync(instance.Service, instance.Id, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _registered, null);
                LogDeregistered(instance.Service, instance.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The lease runs out on its own; the registry evicts the instance.
                LogDeregisterFailed(instance.Service, instance.Id, ex);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(_options.Registration.Service))
        {
            return;
        }

        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        var request = Request();
        var service = _options.Registration.Service;
        var retry = RegisterPipeline(service);
        try
        {
            var instance = await retry.ExecuteAsync(async ct => await RegisterAsync(service, request, ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(instance.HeartbeatIntervalMs), time, stoppingToken).ConfigureAwait(false);
                try
                {
                    if (!await BeatAsync(instance, stoppingToken).ConfigureAwait(false))
                    {
                        LogRegisteringAgain(service, instance.Id);
                        instance = await retry.ExecuteAsync(async ct => await RegisterAsync(service, request, ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A beat that failed or timed out: the resilient client has retried already, and an unreachable
                    // registry is logged once (RegistryReachability); the next beat tries again.
                    LogBeatFailed(service, instance.Id, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (RegistryException refused)
        {
            // A refusal will not fix itself (a bad registration, a token without the role); the app keeps running.
            LogRefused(service, refused.Message, refused);
        }
    }

    private async Task<InstanceInfo> RegisterAsync(string service, RegisterInstanceRequest request, CancellationToken cancellationToken)
    {
        using var activity = RegistryClientMetrics.Source.StartActivity("registry.register");
        activity?.SetTag("registry.service", service);
        var instance = await Api().RegisterAsync(service, request, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("registry.instance.id", instance.Id);
        Volatile.Write(ref _registered, instance);
        RegistryClientMetrics.Registrations.Add(1);
        LogRegistered(service, instance.Id, instance.HeartbeatIntervalMs);
        return instance;
    }

    /// <summary>One heartbeat; false when the registry no longer knows the instance.</summary>
    private async Task<bool> BeatAsync(InstanceInfo instance, CancellationToken cancellationToken)
    {
        using var activity = RegistryClientMetrics.Source.StartActivity("registry.beat");
        activity?.SetTag("registry.service", instance.Service);
        activity?.SetTag("registry.instance.id", instance.Id);
        try
        {
            var healthy = await HealthyAsync(TimeSpan.FromMilliseconds(instance.HeartbeatIntervalMs) / 2, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("registry.instance.healthy", healthy);
            var known = await Api().HeartbeatAsync(instance.Service, instance.Id, healthy, cancellationToken).ConfigureAwait(false) is not null;
            RegistryClientMetrics.Beats.Add(1, new KeyValuePair<string, object?>("outcome", known ? "ok" : "unknown"));
            return known;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            RegistryClientMetrics.Beats.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    // A refusal (a bad registration, a missing role) will not fix itself: it stops registering.
    private ResiliencePipeline RegisterPipeline(string service) => Backoff.Forever(
        time,
        TimeSpan.FromSeconds(30),
        static ex => ex is not RegistryException refused || (int)refused.Status >= 500,
        args =>
        {
            LogRegisterFailed(service, args.RetryDelay, args.Outcome.Exception);
            return ValueTask.CompletedTask;
        });

    /// <summary>
    /// What the application's own health checks say, as the beat reports it: unhealthy only when one reports
    /// Unhealthy (Degraded still takes traffic); the registry check is left out, it is about the registry. Checks
    /// that do not finish within <paramref name="limit"/> (half the beat interval) count as unhealthy: the beat goes
    /// out in time either way.
    /// </summary>
    private async Task<bool> HealthyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (!_options.Registration.UseHealthChecks || services.GetService<HealthCheckService>() is not { } checks)
        {
            return true;
        }

        List<string> unhealthy;
        using var timeout = new CancellationTokenSource(limit, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var report = await checks.CheckHealthAsync(static check => !check.Tags.Contains(RegistryHealthCheck.Tag), bounded.Token)
                .ConfigureAwait(false);
            unhealthy = [.. report.Entries.Where(static e => e.Value.Status == HealthStatus.Unhealthy).Select(static e => e.Key)];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            unhealthy = [$"(not finished within {limit.TotalSeconds:0.#} s)"];
        }

        var healthy = unhealthy.Count == 0;
        if (healthy != _reportedHealthy)
        {
            _reportedHealthy = healthy;
            if (healthy)
            {
                LogChecksPass(_options.Registration.Service!);
            }
            else
            {
                LogChecksFail(_options.Registration.Service!, string.Join(", ", unhealthy));
            }
        }

        return healthy;
    }

    private RegistryApi Api() => new(clients.CreateClient(nameof(RegistryApi)), options);

    private RegisterInstanceRequest Request()
    {
        var registration = _options.Registration;
        var (ip, port) = (registration.Ip, registration.Port);
        if (ip is null || port is null)
        {
            var (serverHost, serverPort) = ServerAddress();
            ip ??= serverHost;
            port ??= serverPort;
        }

        return new RegisterInstanceRequest
        {
            Ip = ip,
            Port = port ?? throw new InvalidOperationException(
                "Registry.Client cannot tell this instance's port: set Registry:Client:Registration:Port, or run it in an ASP.NET Core server."),
            Cluster = registration.Cluster,
            Weight = registration.Weight,
            Metadata = registration.Metadata,
        };
    }

    /// <summary>The host and port of the server's first address; a wildcard host becomes this machine's name.</summary>
    private (string Host, int? Port) ServerAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses?.FirstOrDefault() is not { } first)
        {
            return (Dns.GetHostName(), null);
        }

        // Kestrel reports wildcards as http://+:80, http://*:80 or http://[::]:80.
        var uri = new Uri(first.Replace("://+", "://wildcard", StringComparison.Ordinal).Replace("://*", "://wildcard", StringComparison.Ordinal));
        var wildcard = uri.Host is "wildcard" or "0.0.0.0" or "[::]" or "::";
        return (wildcard ? Dns.GetHostName() : uri.Host, uri.Port);
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Registered {Service} as {InstanceId}; beating every {IntervalMs} ms")]
    private partial void LogRegistered(string service, string instanceId, long intervalMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Registering {Service} failed; trying again in {Delay}")]
    private partial void LogRegisterFailed(string service, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "The registry refused to register {Service}: {Reason}; this instance stays unregistered")]
    private partial void LogRefused(string service, string reason, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The registry no longer knows {InstanceId} of {Service}; registering again")]
    private partial void LogRegisteringAgain(string service, string instanceId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "A heartbeat of {InstanceId} of {Service} failed")]
    private partial void LogBeatFailed(string service, string instanceId, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "Health checks {Checks} report Unhealthy: {Service} stays registered but out of healthy lists until they pass")]
    private partial void LogChecksFail(string service, string checks);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Health checks pass again: {Service} is back in healthy lists")]
    private partial void LogChecksPass(string service);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Deregistered {InstanceId} of {Service}")]
    private partial void LogDeregistered(string service, string instanceId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Deregistering {InstanceId} of {Service} failed; its lease will run out")]
    private partial void LogDeregisterFailed(string service, string instanceId, Exception exception);
}
