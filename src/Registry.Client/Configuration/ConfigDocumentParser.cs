using System.Text.Json;
using Registry.Contracts.Config;
using Registry.Contracts.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Registry.Client.Configuration;

/// <summary>
/// Turns a config document into configuration keys: JSON and YAML objects and arrays become sections
/// (<c>a:b:0</c>), properties keys have their dots turned into sections (<c>a.b=1</c> is <c>a:b</c>).
/// </summary>
internal static class ConfigDocumentParser
{
    public static Dictionary<string, string?> Parse(string content, string format, string? prefix)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        switch (format)
        {
            case ConfigNames.Json:
                using (var document = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
                {
                    Flatten(document.RootElement, prefix, data);
                }

                break;
            case ConfigNames.Yaml:
                var yaml = new YamlStream();
                yaml.Load(new StringReader(content));
                if (yaml.Documents.Count > 0)
                {
                    Flatten(yaml.Documents[0].RootNode, prefix, data);
                }

                break;
            case ConfigNames.Properties:
                if (!PropertiesParser.TryParse(content, out var properties, out var error))
                {
                    throw new FormatException($"Line {error!.Line}: {error.Message}");
                }

                foreach (var (key, value) in properties)
                {
                    data[Join(prefix, key.Replace('.', ':'))] = value;
                }

                break;
            default:
                throw new FormatException($"A '{format}' document cannot be read as configuration; publish it as json, yaml or properties.");
        }

        return data;
    }

    private static void Flatten(JsonElement element, string? path, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, Join(path, property.Name), data);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, Join(path, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }

                break;
            case JsonValueKind.Null:
                data[path ?? ""] = null;
                break;
            case JsonValueKind.String:
                data[path ?? ""] = element.GetString();
                break;
            default:
                data[path ?? ""] = element.GetRawText();
                break;
        }
    }

    private static void Flatten(YamlNode node, string? path, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Flatten(value, Join(path, ((YamlScalarNode)key).Value ?? ""), data);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }

                break;
            case YamlScalarNode scalar:
                data[path ?? ""] = scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
                break;
        }
    }

    private static string Join(string? path, string key) => string.IsNullOrEmpty(path) ? key : path + ":" + key;
}
