using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Registry.Contracts.Config;
using Registry.Contracts.Formats;
using Registry.Server.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Registry.Server.Config;

/// <summary>Where a document is broken; line and column are 1-based when the parser knows them.</summary>
internal sealed record ContentError(string Message, int? Line, int? Column) : ILocatedError;

/// <summary>
/// The formats of config content: their names, media types, how they are recognised on a publish, and how
/// content is checked so a broken document never reaches the services that read it.
/// </summary>
internal static partial class ConfigFormat
{
    public static readonly string[] Names =
        [ConfigNames.Text, ConfigNames.Json, ConfigNames.Yaml, ConfigNames.Properties, ConfigNames.Xml];

    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = ConfigNames.Text,
        ["application/json"] = ConfigNames.Json,
        ["text/json"] = ConfigNames.Json,
        ["application/yaml"] = ConfigNames.Yaml,
        ["application/x-yaml"] = ConfigNames.Yaml,
        ["text/yaml"] = ConfigNames.Yaml,
        ["text/x-yaml"] = ConfigNames.Yaml,
        ["text/x-java-properties"] = ConfigNames.Properties,
        ["text/x-properties"] = ConfigNames.Properties,
        ["application/xml"] = ConfigNames.Xml,
        ["text/xml"] = ConfigNames.Xml,
    };

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".json"] = ConfigNames.Json,
        [".yaml"] = ConfigNames.Yaml,
        [".yml"] = ConfigNames.Yaml,
        [".properties"] = ConfigNames.Properties,
        [".xml"] = ConfigNames.Xml,
        [".txt"] = ConfigNames.Text,
    };

    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The format of a publish: <c>?format=</c>, else the data id's extension (<c>app.json</c> is JSON whatever the
    /// client labels its body), else the body's media type, else text. Form and octet-stream bodies (what curl sends by
    /// default) say nothing about the format.
    /// </summary>
    public static string Resolve(string? format, string? contentType, string dataId)
    {
        if (format is not null)
        {
            return format.ToLowerInvariant();
        }

        if (Extensions.TryGetValue(Path.GetExtension(dataId), out var byExtension))
        {
            return byExtension;
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType is not null && (MediaTypes.TryGetValue(mediaType, out var byType) || TryStructuredSuffix(mediaType, out byType))
            ? byType
            : ConfigNames.Text;
    }

    /// <summary>The media type a config of <paramref name="format"/> is served with.</summary>
    public static string MediaType(string format) => format switch
    {
        ConfigNames.Json => "application/json; charset=utf-8",
        ConfigNames.Yaml => "application/yaml; charset=utf-8",
        ConfigNames.Properties => "text/x-java-properties; charset=utf-8",
        ConfigNames.Xml => "application/xml; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>Checks content against its format; null when it is well formed.</summary>
    public static ContentError? Validate(string format, string content) => format switch
    {
        ConfigNames.Json => ValidateJson(content),
        ConfigNames.Yaml => ValidateYaml(content),
        ConfigNames.Properties => ValidateProperties(content),
        ConfigNames.Xml => ValidateXml(content),
        _ => null,
    };

    private static bool TryStructuredSuffix(string mediaType, out string format)
    {
        format = mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ? ConfigNames.Json
            : mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase) ? ConfigNames.Xml
            : mediaType.EndsWith("+yaml", StringComparison.OrdinalIgnoreCase) ? ConfigNames.Yaml
            : "";
        return format.Length > 0;
    }

    private static ContentError? ValidateJson(string content)
    {
        try
        {
            // A key given twice is refused, as YAML refuses it: readers disagree on which one wins.
            using var _ = JsonDocument.Parse(content, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return null;
        }
        catch (JsonException ex)
        {
            // A duplicate key is reported without a position; find the second occurrence ourselves.
            var (line, column) = ex.LineNumber is { } at ? (at + 1, ex.BytePositionInLine!.Value + 1) : DuplicateKey(content);
            return new ContentError(
                $"The JSON is not valid at line {line}, column {column}: {JsonProblem(ex.Message, content, line, column)}", (int)line, (int)column);
        }
    }

    /// <summary>
    /// The parser's complaint in the user's terms: what JSON does not allow (comments, trailing commas) rather than
    /// how the parser is configured.
    /// </summary>
    private static string JsonProblem(string message, string content, long line, long column) =>
        message.Contains("trailing comma", StringComparison.OrdinalIgnoreCase)
            ? "a comma before a closing '}' or ']' is not allowed in JSON."
            : StartsComment(content, line, column)
                ? "comments are not allowed in JSON."
                : ParserDetail().Replace(message, "")
                    .Replace(" which is not supported in this mode. Change the reader options.", ".", StringComparison.Ordinal)
                    .Replace(" Change the reader options.", "", StringComparison.Ordinal);

    /// <summary>Whether a comment (<c>//</c> or <c>/*</c>) starts at the 1-based <paramref name="line"/> and byte <paramref name="column"/>.</summary>
    private static bool StartsComment(string content, long line, long column)
    {
        var lines = content.Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return false;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(lines[line - 1]);
        var at = (int)Math.Min(column - 1, bytes.Length);
        return bytes.AsSpan(at) is var rest && (rest.StartsWith("//"u8) || rest.StartsWith("/*"u8));
    }

    /// <summary>Where the first key given twice in one object of a well-formed JSON document stands (1-based).</summary>
    private static (long Line, long Column) DuplicateKey(string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var reader = new Utf8JsonReader(bytes);
        var objects = new Stack<HashSet<string>>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.EndObject:
                    objects.Pop();
                    break;
                case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString()!):
                    var before = bytes.AsSpan(0, (int)reader.TokenStartIndex);
                    var lineStart = before.LastIndexOf((byte)'\n') + 1;
                    return (before.Count((byte)'\n') + 1, before.Length - lineStart + 1);
            }
        }

        return (1, 1);
    }

    private static ContentError? ValidateYaml(string content)
    {
        var parser = new TrackingParser(new Parser(new StringReader(content)));
        try
        {
            new YamlStream().Load(parser);
            return null;
        }
        catch (YamlException ex)
        {
            // Some errors come without a position: an unknown alias is found where it stands, anything else
            // (a tab as indentation) after the last event that parsed.
            var (at, where) = ex switch
            {
                AnchorNotFoundException when parser.UnknownAlias is { } alias => (alias, "at"),
                { Start.Index: 0 } when parser.LastGood.Index > 0 => (parser.LastGood, "after"),
                _ => (ex.Start, "at"),
            };
            var (line, column) = ((int)at.Line, (int)at.Column);
            return new ContentError($"The YAML is not valid {where} line {line}, column {column}: {Innermost(ex).Message}", line, column);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some truncated documents; the last good event says where.
            var (line, column) = ((int)parser.LastGood.Line, (int)parser.LastGood.Column);
            return new ContentError($"The YAML is not valid after line {line}, column {column}: the document is cut short or malformed.", line, column);
        }
    }

    private static ContentError? ValidateProperties(string content) =>
        PropertiesParser.TryParse(content, out _, out var error)
            ? null
            : new ContentError($"The properties are not valid at line {error!.Line}, column {error.Column}: {error.Message}", error.Line, error.Column);

    private static ContentError? ValidateXml(string content)
    {
        // No DTDs: a config document never needs one, and they are how entity-expansion attacks get in.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), settings);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.Ordinal)
            && content.IndexOf("<!DOCTYPE", StringComparison.Ordinal) is var doctype and >= 0)
        {
            // The reader refuses a DTD without saying where it is.
            var line = content.AsSpan(0, doctype).Count('\n') + 1;
            var column = doctype - (content.LastIndexOf('\n', doctype) + 1) + 1;
            return new ContentError(
                $"The XML is not valid at line {line}, column {column}: a DTD (<!DOCTYPE …>) is not allowed in a config document.", line, column);
        }
        catch (XmlException ex) when (ex.LineNumber > 0)
        {
            return new ContentError(
                $"The XML is not valid at line {ex.LineNumber}, column {ex.LinePosition}: {ParserDetail().Replace(ex.Message, "")}",
                ex.LineNumber, ex.LinePosition);
        }
        catch (XmlException ex)
        {
            return new ContentError($"The XML is not valid: {ex.Message}", null, null);
        }
    }

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is { } inner ? Innermost(inner) : exception;

    /// <summary>
    /// A parser that remembers where the last event it read ended, and where the first alias of an anchor not
    /// defined before it stands (YAML defines anchors before their aliases).
    /// </summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);

        public Mark LastGood { get; private set; } = Mark.Empty;

        public Mark? UnknownAlias { get; private set; }

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            switch (moved ? inner.Current : null)
            {
                case AnchorAlias alias when !_anchors.Contains(alias.Value.Value):
                    UnknownAlias ??= alias.Start;
                    break;
                case NodeEvent { Anchor.IsEmpty: false } node:
                    _anchors.Add(node.Anchor.Value);
                    break;
            }

            if (moved && inner.Current is { } current)
            {
                LastGood = current.End;
            }

            return moved;
        }
    }

    /// <summary>The location suffixes parsers append to their messages, which the error states already.</summary>
    [GeneratedRegex(@"\s*(Path: .*|LineNumber: .*|Line \d+, position \d+\.)$", RegexOptions.CultureInvariant)]
    private static partial Regex ParserDetail();
}
