using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Registry.Client.Telemetry;

/// <summary>
/// What the client does, as metrics (meter <c>Registry.Client</c>) and traces (activity source <c>Registry.Client</c>):
/// beats and their failures, registrations, watch reconnects, whether the registry answers, and how old each config
/// item's values may be. Collect them with OpenTelemetry's <c>AddMeter("Registry.Client")</c> and
/// <c>AddSource("Registry.Client")</c>.
/// </summary>
public static class RegistryClientMetrics
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Registry.Client";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Beats = Meter.CreateCounter<long>(
        "registry.client.beats", "{beat}", "Heartbeats sent, by outcome (ok, failed, unknown: the registry no longer knew the instance).");

    internal static readonly Counter<long> Registrations = Meter.CreateCounter<long>(
        "registry.client.registrations", "{registration}", "Registrations the registry accepted.");

    internal static readonly Counter<long> WatchReconnects = Meter.CreateCounter<long>(
        "registry.client.watch.reconnects", "{reconnect}", "Reconnect attempts of the watches (services and config items).");

    private static readonly Lock Gauges = new();
    private static readonly List<Func<Measurement<int>>> Reachable = [];
    private static readonly List<Func<Measurement<double>>> ConfigAges = [];

    static RegistryClientMetrics()
    {
        Meter.CreateObservableGauge("registry.client.registry.reachable", () => Observe(Reachable), "{bool}",
            "1 while the registry answers the client's calls, 0 since a call found it unreachable.");
        Meter.CreateObservableGauge("registry.client.config.age", () => Observe(ConfigAges), "s",
            "Seconds since each config item's values were last confirmed current by the registry (0 while its watch is connected).");
    }

    internal static IDisposable ObserveReachable(Func<Measurement<int>> observe) => Add(Reachable, observe);

    internal static IDisposable ObserveConfigAge(Func<Measurement<double>> observe) => Add(ConfigAges, observe);

    private static Removal Add<T>(List<Func<Measurement<T>>> list, Func<Measurement<T>> observe)
        where T : struct
    {
        lock (Gauges)
        {
            list.Add(observe);
        }

        return new Removal(() =>
        {
            lock (Gauges)
            {
                list.Remove(observe);
            }
        });
    }

    private static Measurement<T>[] Observe<T>(List<Func<Measurement<T>>> list)
        where T : struct
    {
        lock (Gauges)
        {
            return [.. list.Select(static observe => observe())];
        }
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
