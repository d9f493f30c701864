using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Registry.Server.Infrastructure;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// The parameters of a Nacos call: the query string and, for every verb, an
/// <c>application/x-www-form-urlencoded</c> body. The body is decoded as UTF-8 whatever charset it declares:
/// the Node config client labels UTF-8 bytes as GBK, and Nacos itself forces UTF-8. The query string wins
/// where both carry a name, as with a servlet's <c>getParameter</c>.
/// </summary>
internal sealed class NacosParameters
{
    /// <summary>The largest form read: a config document percent-encoded (up to three bytes per byte), and the rest.</summary>
    public const int MaxFormBytes = 4 * 1024 * 1024;
    private readonly Dictionary<string, StringValues> _values;

    private NacosParameters(Dictionary<string, StringValues> values) => _values = values;

    public static async ValueTask<NacosParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (request.ContentType is { } type
            && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxFormBytes)
                {
                    throw new NacosException(StatusCodes.Status413PayloadTooLarge, "request body too large");
                }

                buffer.Write(chunk, 0, read);
            }

            foreach (var (name, value) in QueryHelpers.ParseNullableQuery(Encoding.UTF8.GetString(buffer.ToArray())) ?? [])
            {
                values[name] = value;
            }
        }

        foreach (var (name, value) in request.Query)
        {
            values[name] = value;
        }

        return new NacosParameters(values);
    }

    /// <summary>The value, or null when absent.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;

    /// <summary>The first of the names that is present (Nacos accepts legacy spellings: <c>enable</c>, <c>cluster</c>).</summary>
    public string? Any(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (this[name] is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>A required, non-blank value; else 400 as Nacos words it.</summary>
    public string Required(string name) =>
        string.IsNullOrWhiteSpace(this[name]) ? throw NacosException.Missing(name) : this[name]!;

    public bool? Bool(params ReadOnlySpan<string> names) =>
        Any(names) switch
        {
            null or "" => null,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw NacosException.Invalid(names[0], $"'{text}' is not true or false"),
        };

    public int? Int(string name) =>
        this[name] switch
        {
            null or "" => null,
            var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
            var text => throw NacosException.Invalid(name, $"'{text}' is not an integer"),
        };

    public long? Long(string name) =>
        this[name] switch
        {
            null or "" => null,
            var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
            var text => throw NacosException.Invalid(name, $"'{text}' is not an integer"),
        };

    public double? Double(string name) =>
        this[name] switch
        {
            null or "" => null,
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) => value,
            var text => throw NacosException.Invalid(name, $"'{text}' is not a number"),
        };

    /// <summary>Metadata as a JSON object or as <c>k=v,k2=v2</c>; null when absent.</summary>
    public IReadOnlyDictionary<string, string>? Metadata(string name = "metadata") =>
        this[name] is { } text ? NacosMetadata.Parse(name, text) : null;
}

internal static class NacosMetadata
{
    public static Dictionary<string, string> Parse(string name, string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        text = text.Trim();
        if (text.Length == 0)
        {
            return map;
        }

        if (text[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }

                return map;
            }
            catch (JsonException ex)
            {
                throw NacosException.Invalid(name, $"not a JSON object: {ex.Message}");
            }
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw NacosException.Invalid(name, $"'{pair}' is not key=value");
            }

            map[pair[..equals]] = pair[(equals + 1)..];
        }

        return map;
    }
}

/// <summary>Where a Nacos call acts: namespace and group defaults, and the <c>GROUP@@service</c> convention.</summary>
internal static class NacosNames
{
    public const string GroupSeparator = "@@";

    /// <summary>Nacos's public namespace is the empty id; ours is <c>public</c>.</summary>
    public static string Namespace(string? id) => string.IsNullOrEmpty(id) ? NameRules.DefaultNamespace : id;

    /// <summary>The namespace id as Nacos shows it: <c>""</c> for public.</summary>
    public static string NacosNamespace(string ns) => ns == NameRules.DefaultNamespace ? "" : ns;

    public static string NamingNamespace(NacosParameters p) => Namespace(p["namespaceId"]);

    public static string ConfigNamespace(NacosParameters p) => Namespace(p["tenant"]);

    public static string Group(string? group) => string.IsNullOrEmpty(group) ? NameRules.DefaultGroup : group;

    /// <summary><c>serviceName</c> as <c>GROUP@@name</c>, else <c>groupName</c> (default <c>DEFAULT_GROUP</c>) and the name.</summary>
    public static (string Group, string Service) Service(NacosParameters p)
    {
        var raw = p.Required("serviceName");
        var split = raw.IndexOf(GroupSeparator, StringComparison.Ordinal);
        if (split < 0)
        {
            return (Group(p["groupName"]), raw);
        }

        var (group, name) = (raw[..split], raw[(split + GroupSeparator.Length)..]);
        return group.Length == 0 || name.Length == 0 || name.Contains(GroupSeparator, StringComparison.Ordinal)
            ? throw NacosException.Invalid("serviceName", $"'{raw}' must be 'group@@service' with neither part empty")
            : (group, name);
    }

    public static string Grouped(string group, string service) => group + GroupSeparator + service;
}
