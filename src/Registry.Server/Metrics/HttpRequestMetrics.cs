using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace Registry.Server.Metrics;

/// <summary>
/// <c>http_request_duration_seconds{code,method,endpoint}</c>: one histogram child per route, method and
/// status code, found by reference on the hot path instead of by its label strings.
/// </summary>
internal sealed class HttpRequestMetrics(IMetricFactory factory)
{
    private readonly Histogram _duration = factory.CreateHistogram(
        "http_request_duration_seconds", "Time to answer HTTP requests, by status code, method and route.",
        ["code", "method", "endpoint"],
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 18) });

    private readonly ConcurrentDictionary<(Endpoint? Endpoint, string Method, int Code), Histogram.Child> _children = new();

    public void Observe(HttpContext context, TimeSpan elapsed)
    {
        var key = (context.GetEndpoint(), KnownMethod(context.Request.Method), context.Response.StatusCode);
        if (!_children.TryGetValue(key, out var child))
        {
            child = _children.GetOrAdd(key, k => _duration.WithLabels(
                k.Code.ToString(CultureInfo.InvariantCulture), k.Method, (k.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? ""));
        }

        child.Observe(elapsed.TotalSeconds);
    }

    // Any other method is one label value, so a client cannot grow the metric without bound.
    private static string KnownMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPut(method) || HttpMethods.IsPost(method) || HttpMethods.IsDelete(method)
        || HttpMethods.IsPatch(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            ? HttpMethods.GetCanonicalizedValue(method)
            : "OTHER";
}
