using Registry.Benchmarks.Load.Load;

namespace Registry.Benchmarks.Load;

/// <summary>The requests of every load scenario. Instance k lives in service <c>{prefix}-{k/100}</c>.</summary>
internal static class Scenarios
{
    public const string ListService = "list-10";
    public const string ConfigGetDataId = "bench-get";
    public const string PushDataId = "bench-push";

    public static RequestTemplate Ping { get; } = new("GET", "/ping");

    /// <summary>Registers instance k: a new one for every request unless the template gets a pool.</summary>
    public static RequestTemplate Register(string servicePrefix) =>
        new("PUT", $"/v1/services/{servicePrefix}-{{g}}/instances", """{"ip":"{ip}","port":8080}""");

    /// <summary>
    /// As <see cref="Register"/>, with the two small metadata fields a real instance carries, their values
    /// repeating across instances as zones and versions do.
    /// </summary>
    public static RequestTemplate RegisterWithMetadata(string servicePrefix) =>
        Register(servicePrefix) with { Body = """{"ip":"{ip}","port":8080,"metadata":{"zone":"z{k%3}","version":"v{k%5}"}}""" };

    /// <summary>Beats of <paramref name="instances"/> instances registered by <see cref="Register"/>, round and round.</summary>
    public static RequestTemplate Heartbeat(string servicePrefix, long instances) =>
        new("PUT", $"/v1/services/{servicePrefix}-{{g}}/instances/{{ip}}%238080%23DEFAULT/heartbeat", Pool: instances);

    public static RequestTemplate ListHealthy { get; } = new("GET", $"/v1/services/{ListService}/instances?healthyOnly=true");

    public static RequestTemplate Pick { get; } = new("GET", $"/v1/services/{ListService}/instances/pick");

    /// <summary>A new version of one of a hundred-key group per request; every publish changes the content.</summary>
    public static RequestTemplate Publish { get; } = new("PUT", "/v1/configs/bench-{g}?format=text", "value={k}", "text/plain");

    /// <summary>A new version of one of a thousand keys per request, in turn: writers seldom meet on a key.</summary>
    public static RequestTemplate PublishSpread { get; } = new("PUT", "/v1/configs/spread-{k%1000}?format=text", "value={k}", "text/plain");

    public static RequestTemplate ConfigGet { get; } = new("GET", $"/v1/configs/{ConfigGetDataId}");
}
