using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Registry.Benchmarks.Load.Load;

/// <summary>
/// One kind of request of a load scenario. Request number <c>n</c> (counted across all connections) is made
/// from key <c>k</c>: <c>n mod Pool</c> when a pool is given (the same keys over and over, as heartbeats of
/// N instances), else <c>n</c> itself (every request new, as registrations); plus <see cref="Offset"/>.
/// The path and body may hold <c>{k}</c>, <c>{g}</c> (<c>k / 100</c>: a group of a hundred keys, such as
/// one service), <c>{ip}</c> (an IPv4 address unique to <c>k</c>) and <c>{k%n}</c> (<c>k mod n</c>: values
/// that repeat, as metadata does across instances).
/// </summary>
internal sealed partial record RequestTemplate(
    string Method, string Path, string? Body = null, string? ContentType = null, long Pool = 0, long Offset = 0)
{
    /// <summary>Keys a warm-up uses for a template without a pool, so the measured run still makes new keys.</summary>
    public const long WarmUpOffset = 10_000_000;

    public const int KeysPerGroup = 100;

    public RequestTemplate ForWarmUp() => Pool > 0 ? this : this with { Offset = Offset + WarmUpOffset };

    public long Key(long n) => (Pool > 0 ? n % Pool : n) + Offset;

    public string RenderPath(long k) => Render(Path, k);

    public string? RenderBody(long k) => Body is null ? null : Render(Body, k);

    public static string Ip(long k) => string.Create(CultureInfo.InvariantCulture,
        $"10.{(k >> 16) & 255}.{(k >> 8) & 255}.{k & 255}");

    public static long Group(long k) => k / KeysPerGroup;

    private static string Render(string text, long k)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        var rendered = new StringBuilder(ModuloPattern().Replace(text, m =>
                (k % long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)))
            .Replace("{k}", k.ToString(CultureInfo.InvariantCulture))
            .Replace("{g}", Group(k).ToString(CultureInfo.InvariantCulture))
            .Replace("{ip}", Ip(k));
        return rendered.ToString();
    }

    [GeneratedRegex(@"\{k%(\d+)\}")]
    private static partial Regex ModuloPattern();
}
