using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Registry.Server.Tests.Fuzz;

/// <summary>
/// Makes random and malformed requests for every route of every surface (native, Nacos, Eureka): odd names
/// (empty, huge, unicode, control characters, traversal), wrong and overflowing numbers, broken JSON, forms and
/// non-UTF-8 bodies, bad headers. A quarter of them aim at <see cref="KeptNamespace"/>, where the test keeps
/// data that refused requests must leave as it is. Deterministic for a seed.
/// </summary>
internal sealed class RequestFuzzer(int seed)
{
    /// <summary>The namespace the test seeds; requests name it by the parameter each surface uses.</summary>
    public const string KeptNamespace = "kept";

    /// <summary>Every route with the methods it answers; most requests use one of them, the rest any method.</summary>
    private static readonly (string Path, string[] Methods)[] Routes =
    [
        ("/v1/services", ["GET"]),
        ("/v1/services/{s}", ["GET", "PUT", "DELETE"]),
        ("/v1/services/{s}/instances", ["GET", "PUT"]),
        ("/v1/services/{s}/instances/{id}", ["GET", "PATCH", "DELETE"]),
        ("/v1/services/{s}/instances/{id}/heartbeat", ["PUT"]),
        ("/v1/services/{s}/instances/pick", ["GET"]),
        ("/v1/services/{s}/metadata", ["GET", "PUT", "DELETE"]),
        ("/v1/services/{s}/metadata/history", ["GET"]),
        ("/v1/services/{s}/watch", ["GET"]),
        ("/v1/services/watch", ["GET"]),
        ("/v1/namespaces", ["GET"]),
        ("/v1/namespaces/{ns}", ["GET", "PUT", "DELETE"]),
        ("/v1/tree", ["GET"]),
        ("/v1/configs", ["GET"]),
        ("/v1/configs/{d}", ["GET", "PUT", "DELETE"]),
        ("/v1/configs/{d}/history", ["GET"]),
        ("/v1/configs/{d}/diff", ["GET"]),
        ("/v1/configs/{d}/rollback", ["POST"]),
        ("/v1/configs/watch", ["GET"]),
        ("/v1/tokens", ["GET", "POST"]),
        ("/v1/tokens/{id}", ["DELETE"]),
        ("/v1/audit", ["GET"]),
        ("/v1/admin/backup", ["POST"]),
        ("/nacos/v1/ns/instance", ["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ("/nacos/v1/ns/instance/list", ["GET"]),
        ("/nacos/v1/ns/instance/beat", ["PUT"]),
        ("/nacos/v1/ns/service", ["GET", "POST", "PUT", "DELETE"]),
        ("/nacos/v1/ns/service/list", ["GET"]),
        ("/nacos/v1/ns/catalog/services", ["GET"]),
        ("/nacos/v1/ns/catalog/instances", ["GET"]),
        ("/nacos/v1/ns/operator/metrics", ["GET"]),
        ("/nacos/v1/ns/health/instance", ["PUT"]),
        ("/nacos/v1/console/namespaces", ["GET", "POST", "PUT", "DELETE"]),
        ("/nacos/v1/cs/configs", ["GET", "POST", "DELETE"]),
        ("/nacos/v1/cs/configs/listener", ["POST"]),
        ("/nacos/v1/cs/history", ["GET"]),
        ("/nacos/v1/cs/history/previous", ["GET"]),
        ("/nacos/v1/cs/history/configs", ["GET"]),
        ("/nacos/v1/auth/login", ["POST"]),
        ("/eureka/apps", ["GET"]),
        ("/eureka/apps/delta", ["GET"]),
        ("/eureka/apps/{s}", ["GET", "POST"]),
        ("/eureka/v2/apps/{s}/{id}", ["GET", "PUT", "DELETE"]),
        ("/eureka/apps/{s}/{id}/status", ["PUT", "DELETE"]),
        ("/eureka/apps/{s}/{id}/metadata", ["PUT"]),
        ("/eureka/instances/{id}", ["GET"]),
        ("/healthz", ["GET"]),
        ("/readyz", ["GET"]),
        ("/metrics", ["GET"]),
        ("/{s}", ["GET"]),
        ("/v1/{s}/{s}", ["GET", "PUT"]),
    ];

    private static readonly string[] Methods = ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static readonly string[] Parameters =
    [
        "namespace", "group", "cluster", "healthyOnly", "protocol", "page", "pageSize", "search", "version",
        "waitAfterVersion", "timeoutMs", "from", "to", "dataId", "lastEventId", "snapshot", "format", "actor",
        "action", "outcome",
        "serviceName", "groupName", "namespaceId", "tenant", "ip", "port", "clusterName", "weight", "enabled",
        "healthy", "ephemeral", "metadata", "beat", "content", "type", "pageNo", "nid", "value", "customNamespaceId",
        "namespaceName", "Listening-Configs", "accessToken", "username", "password", "status",
    ];

    private static readonly string[] Fields =
    [
        "ip", "port", "cluster", "weight", "enabled", "ephemeral", "metadata", "heartbeatIntervalMs", "unhealthyAfterMs",
        "evictAfterMs", "healthy", "protectThreshold", "displayName", "description", "protocols", "defaultWeight",
        "instanceWeights", "tags", "properties", "name", "roles", "namespaces", "expiresAt",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/yaml", "text/plain", "application/xml", "text/x-java-properties",
        "application/octet-stream", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "multipart/form-data; boundary=x", "garbage",
    ];

    private readonly Random _random = new(seed);

    public HttpRequestMessage Next()
    {
        var route = Pick(Routes);
        var method = _random.Next(5) == 0 ? Pick(Methods) : Pick(route.Methods);
        var path = route.Path
            .Replace("{s}", Segment(), StringComparison.Ordinal)
            .Replace("{id}", Segment(), StringComparison.Ordinal)
            .Replace("{ns}", Segment(), StringComparison.Ordinal)
            .Replace("{d}", Segment(), StringComparison.Ordinal);
        var parameters = Enumerable.Range(0, _random.Next(4)).Select(_ => $"{Pick(Parameters)}={Escape(Value())}").ToList();
        if (_random.Next(4) == 0)
        {
            parameters.Insert(0, $"{(route.Path.StartsWith("/nacos", StringComparison.Ordinal) ? Pick(["namespaceId", "tenant"]) : "namespace")}={KeptNamespace}");
        }

        var query = string.Join('&', parameters);
        var request = new HttpRequestMessage(new HttpMethod(method), query.Length > 0 ? $"{path}?{query}" : path);
        if (method is "PUT" or "POST" or "PATCH" || _random.Next(10) == 0)
        {
            request.Content = _random.Next(3) == 0 ? NearlyValidBody(route.Path) : _random.Next(4) == 0 ? Form() : Body();
        }

        foreach (var header in new[] { "If-Match", "If-None-Match", "Last-Event-ID", "X-Registry-User", "Authorization" })
        {
            if (_random.Next(6) == 0)
            {
                request.Headers.TryAddWithoutValidation(header, HeaderValue());
            }
        }

        return request;
    }

    private string Segment() => Escape(_random.Next(17) switch
    {
        0 => "",
        1 => new string('a', _random.Next(200, 5000)),
        2 => "..%2F..%2Fetc%2Fpasswd",
        3 => "../../etc",
        4 => "seed",
        15 => "seed.yaml",
        5 => "watch",
        6 => "10.0.0.1#8080#DEFAULT",
        7 => "🚀ünïcødé\u202E",
        8 => "a\u0007b\nc",
        9 => "%ZZ",
        _ => Word(),
    });

    private string Value() => _random.Next(18) switch
    {
        0 => "",
        14 => "seed",
        15 => "seed.yaml",
        1 => "-1",
        2 => "0",
        3 => "99999999999999999999999",
        4 => "1.5e308",
        5 => "NaN",
        6 => "true",
        7 => "yes",
        8 => "*",
        9 => new string('x', _random.Next(300, 3000)),
        10 => "2026-13-45T99:99:99Z",
        11 => "a,b,,c, ,",
        12 => "\u0001\u0002",
        13 => _random.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture),
        _ => Word(),
    };

    private string HeaderValue() => _random.Next(8) switch
    {
        0 => "\"1\"",
        1 => "W/\"x\"",
        2 => "*",
        3 => "Bearer " + Word(),
        4 => "-5",
        5 => new string('h', 2000),
        6 => "\"1\", garbage",
        _ => Word(),
    };

    private ByteArrayContent Body()
    {
        var content = _random.Next(10) switch
        {
            0 => new ByteArrayContent([0xFF, 0xFE, 0x00, 0xC3, 0x28, 0xA0, 0xA1]),
            1 => new StringContent(new string('[', 2000) + new string(']', 2000), Encoding.UTF8),
            2 => new StringContent("{\"ip\":\"10.0.0.1\",\"port\":", Encoding.UTF8),
            3 => new StringContent(new string('y', _random.Next(1, 2_000_000)), Encoding.UTF8),
            4 => new StringContent("", Encoding.UTF8),
            5 => new StringContent("a: [1,\n b: {", Encoding.UTF8),
            6 => new StringContent("<a><b></a>", Encoding.UTF8),
            _ => new StringContent(JsonObject(depth: 0), Encoding.UTF8),
        };
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(Pick(ContentTypes), out var type) ? type : null;
        return content;
    }

    /// <summary>A form as Nacos clients send, of the fields its routes read, with random values.</summary>
    private FormUrlEncodedContent Form() => new(Enumerable.Range(0, _random.Next(1, 6))
        .Select(_ => KeyValuePair.Create(Pick(Parameters), _random.Next(5) == 0 ? KeptNamespace : Value())));

    /// <summary>A body that is right for the route but for (at most) one field, to reach past validation.</summary>
    private StringContent NearlyValidBody(string route)
    {
        var fields = route switch
        {
            "/v1/services/{s}/instances" => new Dictionary<string, string> { ["ip"] = "\"10.0.0.7\"", ["port"] = "8080", ["weight"] = "2" },
            "/v1/services/{s}/instances/{id}" => new() { ["enabled"] = "false", ["weight"] = "3" },
            "/v1/services/{s}" => new() { ["protectThreshold"] = "0.5" },
            "/v1/services/{s}/metadata" => new() { ["protocols"] = "[{\"name\":\"grpc\",\"port\":9090}]", ["defaultWeight"] = "1" },
            "/v1/namespaces/{ns}" => new() { ["displayName"] = "\"Dev\"" },
            "/v1/tokens" => new() { ["name"] = "\"fuzz\"", ["roles"] = "[\"read\"]" },
            _ => null,
        };
        if (fields is null)
        {
            return new StringContent(_random.Next(2) == 0 ? "a: 1\nb: [1, 2]\n" : "{\"a\": 1}", Encoding.UTF8, _random.Next(2) == 0 ? "application/yaml" : "application/json");
        }

        if (_random.Next(3) > 0)
        {
            fields[_random.Next(2) == 0 ? Pick(Fields) : Pick([.. fields.Keys])] = JsonValue(depth: 2);
        }

        return new StringContent("{" + string.Join(',', fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}", Encoding.UTF8, "application/json");
    }

    private string JsonObject(int depth)
    {
        var members = Enumerable.Range(0, _random.Next(6))
            .Select(_ => $"\"{(_random.Next(4) == 0 ? Word() : Pick(Fields))}\":{JsonValue(depth + 1)}");
        return "{" + string.Join(',', members) + "}";
    }

    private string JsonValue(int depth) => _random.Next(depth > 3 ? 7 : 9) switch
    {
        0 => "null",
        1 => _random.Next(2) == 0 ? "true" : "false",
        2 => _random.Next(-100_000, 100_000).ToString(CultureInfo.InvariantCulture),
        3 => "1e400",
        4 => $"\"{Word()}\"",
        5 => $"\"{new string('s', _random.Next(1000, 20_000))}\"",
        6 => "\"\\u0000\\ud800\"",
        7 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => JsonValue(depth + 1))) + "]",
        _ => JsonObject(depth),
    };

    private string Word() => new([.. Enumerable.Range(0, _random.Next(1, 12)).Select(_ => "abcXYZ019._-:#/ %é"[_random.Next(18)])]);

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private static string Escape(string value) => Uri.EscapeDataString(value).Replace("%25ZZ", "%ZZ", StringComparison.Ordinal);
}
