using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace Registry.Server.Compat.Eureka;

/// <summary>
/// Eureka's two wire forms as one tree: JSON as Jackson writes it, and XML with the same element names, where
/// an attribute is the member <c>@name</c> and an element's text next to attributes is the member <c>$</c>
/// (<c>&lt;port enabled="true"&gt;8080&lt;/port&gt;</c> is <c>{"$":"8080","@enabled":"true"}</c>). Lists are arrays
/// in JSON and repeated elements in XML.
/// </summary>
internal static class EurekaPayload
{
    /// <summary>A member given twice is a malformed body, not a last-one-wins guess.</summary>
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };

    /// <summary>Reads a body as JSON or XML, by its content type (else by its first character); null if it does not parse.</summary>
    public static JsonObject? Parse(string body, string? contentType)
    {
        var xml = contentType?.Contains("xml", StringComparison.OrdinalIgnoreCase)
            ?? body.TrimStart().StartsWith('<');
        try
        {
            return xml ? FromXml(body) : JsonNode.Parse(body, documentOptions: JsonOptions) as JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or XmlException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True when the client asked for XML rather than JSON (JSON is the default).</summary>
    public static bool WantsXml(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        var xml = accept.IndexOf("xml", StringComparison.OrdinalIgnoreCase);
        var json = accept.IndexOf("json", StringComparison.OrdinalIgnoreCase);
        return xml >= 0 && (json < 0 || xml < json);
    }

    public static IResult Result(JsonObject document, HttpRequest request) =>
        WantsXml(request)
            ? TypedResults.Text(ToXml(document), "application/xml", Encoding.UTF8)
            : TypedResults.Text(document.ToJsonString(), "application/json", Encoding.UTF8);

    public static string ToXml(JsonObject document)
    {
        var root = document.Single();
        var element = ToElement(root.Key, root.Value);
        return new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), element).ToString(SaveOptions.DisableFormatting);
    }

    private static XElement ToElement(string name, JsonNode? node)
    {
        var element = new XElement(XmlConvert.EncodeLocalName(name));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.StartsWith('@'))
                    {
                        element.SetAttributeValue(XmlConvert.EncodeLocalName(key[1..]), Text(value));
                    }
                    else if (key == "$")
                    {
                        element.Add(new XText(Text(value)));
                    }
                    else if (value is JsonArray array)
                    {
                        element.Add(array.Select(item => ToElement(key, item)));
                    }
                    else
                    {
                        element.Add(ToElement(key, value));
                    }
                }

                break;
            case null:
                break;
            default:
                element.Value = Text(node);
                break;
        }

        return element;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static JsonObject FromXml(string body)
    {
        // No DTDs: an entity could expand a small body into a huge one.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(body), settings);
        var root = XDocument.Load(reader).Root ?? throw new InvalidOperationException("The document has no root element.");
        return new JsonObject { [XmlConvert.DecodeName(root.Name.LocalName)] = FromElement(root) };
    }

    private static JsonNode FromElement(XElement element)
    {
        if (!element.HasElements && !element.HasAttributes)
        {
            return JsonValue.Create(element.Value);
        }

        var obj = new JsonObject();
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
        {
            obj["@" + XmlConvert.DecodeName(attribute.Name.LocalName)] = attribute.Value;
        }

        if (!element.HasElements)
        {
            obj["$"] = element.Value;
            return obj;
        }

        foreach (var group in element.Elements().GroupBy(e => XmlConvert.DecodeName(e.Name.LocalName)))
        {
            var items = group.Select(FromElement).ToList();
            obj[group.Key] = items.Count == 1 ? items[0] : new JsonArray([.. items]);
        }

        return obj;
    }
}
