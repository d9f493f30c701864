using System.Globalization;
using System.Text;

namespace Registry.Contracts.Formats;

/// <summary>
/// Reads Java <c>.properties</c> text: <c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c> and
/// <c>!</c> comments; a trailing backslash continues the line; <c>\t \n \r \f \uXXXX</c> escapes. Later keys
/// win. Stricter than Java in two ways that catch real mistakes: a malformed <c>\u</c> escape and a line
/// with a separator but no key are errors.
/// </summary>
public static class PropertiesParser
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryParse(string text, out IReadOnlyList<KeyValuePair<string, string>> properties, out PropertiesError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<KeyValuePair<string, string>>();
        properties = result;
        error = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            // Join continuation lines: an odd number of trailing backslashes escapes the line break.
            var logical = new StringBuilder();
            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                logical.Append(line, 0, line.Length - 1);
                line = lines[++i].TrimStart(' ', '\t', '\f');
            }

            logical.Append(EndsWithContinuation(line) ? line[..^1] : line);
            if (!TryParseLine(logical.ToString(), lineNumber, out var pair, out error))
            {
                return false;
            }

            result.Add(pair);
        }

        return true;
    }

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static bool TryParseLine(string line, int lineNumber, out KeyValuePair<string, string> pair, out PropertiesError? error)
    {
        pair = default;
        var keyEnd = 0;
        while (keyEnd < line.Length && line[keyEnd] is not ('=' or ':' or ' ' or '\t' or '\f'))
        {
            keyEnd += line[keyEnd] == '\\' ? 2 : 1;
        }

        keyEnd = Math.Min(keyEnd, line.Length);
        var valueStart = keyEnd;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
        {
            valueStart++;
        }

        if (valueStart < line.Length && line[valueStart] is '=' or ':')
        {
            valueStart++;
            while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
            {
                valueStart++;
            }
        }

        if (keyEnd == 0)
        {
            error = new PropertiesError("A property needs a key before its separator.", lineNumber, 1);
            return false;
        }

        if (!TryUnescape(line, 0, keyEnd, lineNumber, out var key, out error)
            || !TryUnescape(line, valueStart, line.Length, lineNumber, out var value, out error))
        {
            return false;
        }

        pair = new KeyValuePair<string, string>(key, value);
        return true;
    }

    private static bool TryUnescape(string line, int start, int end, int lineNumber, out string value, out PropertiesError? error)
    {
        var builder = new StringBuilder(end - start);
        error = null;
        value = "";
        for (var i = start; i < end; i++)
        {
            var c = line[i];
            if (c != '\\' || i + 1 >= end)
            {
                builder.Append(c);
                continue;
            }

            var escaped = line[++i];
            if (escaped == 'u')
            {
                var digits = line.AsSpan(i + 1, Math.Min(4, end - i - 1));
                if (digits.Length < 4
                    || !ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    error = new PropertiesError("A \\u escape needs four hexadecimal digits.", lineNumber, i);
                    return false;
                }

                builder.Append((char)code);
                i += 4;
                continue;
            }

            builder.Append(escaped switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                'f' => '\f',
                _ => escaped,
            });
        }

        value = builder.ToString();
        return true;
    }
}

/// <summary>Where a properties text is broken; line and column are 1-based.</summary>
public sealed record PropertiesError(string Message, int Line, int Column);
