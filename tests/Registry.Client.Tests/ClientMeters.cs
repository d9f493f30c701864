using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Registry.Client.Telemetry;

namespace Registry.Client.Tests;

/// <summary>
/// The client's instruments (meter <c>Registry.Client</c>) as a metrics collector sees them from its start: counters
/// summed by one tag's value, gauges read on demand. Other hosts in the test process report to the same meter, so
/// tests tell theirs apart by a tag of their own (a service, a data id).
/// </summary>
internal sealed class ClientMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag, object? Value), long> _counts = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag, object? Value), double> _gauges = new();

    public ClientMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RegistryClientMetrics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _counts.AddOrUpdate((instrument.Name, "", null), value, (_, sum) => sum + value);
            foreach (var tag in tags)
            {
                _counts.AddOrUpdate((instrument.Name, tag.Key, tag.Value), value, (_, sum) => sum + value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                _gauges[(instrument.Name, tag.Key, tag.Value)] = value;
            }
        });
        _listener.Start();
    }

    /// <summary>What <paramref name="instrument"/> counted since this listener started, of all tags or of one tag's value.</summary>
    public long Count(string instrument, string? tag = null, object? value = null) =>
        _counts.GetValueOrDefault((instrument, tag ?? "", value));

    /// <summary>The last value <paramref name="instrument"/> reports for the tag's value; -1 when it reports none.</summary>
    public double Gauge(string instrument, string tag, object value)
    {
        _listener.RecordObservableInstruments();
        return _gauges.GetValueOrDefault((instrument, tag, value), -1);
    }

    public void Dispose() => _listener.Dispose();
}
