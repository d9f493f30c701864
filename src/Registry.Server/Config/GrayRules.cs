using System.IO.Hashing;
using System.Net;
using System.Text;
using FluentValidation;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>A gray rule as stored (see <see cref="GrayRule"/>): addresses and ranges, labels, a percentage.</summary>
internal sealed record ConfigGrayRule(IReadOnlyList<string> Addresses, IReadOnlyDictionary<string, string> Labels, int Percentage)
{
    /// <summary>Whether <paramref name="client"/> gets the gray version.</summary>
    public bool Matches(ConfigClient client) =>
        (client.Address is { } address && Addresses.Any(text => Networks.TryParse(text, out var network) && network.Contains(address)))
        || (Labels.Count > 0 && Labels.All(label => client.Labels.TryGetValue(label.Key, out var value) && value == label.Value))
        || (Percentage > 0 && client.Id.Length > 0 && GrayRules.Bucket(client.Id) < Percentage);
}

/// <summary>
/// Who reads a config item, as far as gray rules care: its id (<c>X-Registry-Client-Id</c>, else its address), its
/// address and its labels (<c>X-Registry-Labels</c>).
/// </summary>
internal sealed record ConfigClient(string Id, IPAddress? Address, IReadOnlyDictionary<string, string> Labels)
{
    public static readonly ConfigClient Anonymous = new("", null, new Dictionary<string, string>());
}

internal static class GrayRules
{
    public const string LabelsHeader = RegistryHeaders.Labels;
    public const string ClientIdHeader = RegistryHeaders.ClientId;
    public const int MaxAddresses = 256;
    public const int MaxLabels = 32;
    public const int MaxLabelLength = 128;

    /// <summary>Where a client id falls, 0..99: the same on every node and across restarts.</summary>
    public static int Bucket(string clientId) => (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(clientId)) % 100);

    public static bool SameRule(ConfigGrayRule a, ConfigGrayRule? b) =>
        b is not null && a.Percentage == b.Percentage && a.Addresses.SequenceEqual(b.Addresses, StringComparer.Ordinal)
        && a.Labels.Count == b.Labels.Count && a.Labels.All(label => b.Labels.TryGetValue(label.Key, out var value) && value == label.Value);

    public static ConfigGrayRule ToRecord(this GrayRule rule) => new(
        [.. rule.Addresses ?? []], new Dictionary<string, string>(rule.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        rule.Percentage ?? 0);

    public static GrayRule ToContract(this ConfigGrayRule rule) => new()
    {
        Addresses = rule.Addresses,
        Labels = rule.Labels,
        Percentage = rule.Percentage,
    };

    /// <summary>The rules of a gray rule: it must name some client, and every part must be well formed.</summary>
    public static IRuleBuilderOptions<T, GrayRule?> ValidGrayRule<T>(this IRuleBuilder<T, GrayRule?> rule) => rule
        .NotNull()
        .Must(r => r is null || (r.Addresses?.Count ?? 0) > 0 || (r.Labels?.Count ?? 0) > 0 || (r.Percentage ?? 0) > 0)
        .WithMessage("'{PropertyName}' must name some clients: addresses, labels or a percentage above 0.")
        .Must(r => r?.Addresses is null || (r.Addresses.Count <= MaxAddresses && r.Addresses.All(a => Networks.TryParse(a, out _))))
        .WithMessage($"Every address of '{{PropertyName}}' must be an address or a CIDR range (at most {MaxAddresses}).")
        .Must(r => r?.Labels is null || (r.Labels.Count <= MaxLabels && r.Labels.All(l => IsLabel(l.Key, l.Value))))
        .WithMessage($"'{{PropertyName}}' may hold at most {MaxLabels} labels, each a name (letters, digits, . _ -) and a value of at most {MaxLabelLength} characters without , or =.")
        .Must(r => r?.Percentage is null or (>= 0 and <= 100))
        .WithMessage("The percentage of '{PropertyName}' must be between 0 and 100.");

    /// <summary>A client as its request describes it; a malformed header is a 400 naming it.</summary>
    public static ConfigClient ClientOf(HttpRequest request) =>
        Client(request.Headers[LabelsHeader].ToString(), request.Headers[ClientIdHeader].ToString(), request.HttpContext.Connection.RemoteIpAddress);

    /// <summary>A client from its headers and address; a malformed header is a 400 naming it.</summary>
    public static ConfigClient Client(string? labelsHeader, string? clientId, IPAddress? remote)
    {
        var address = remote is null ? null : Networks.Normalize(remote);
        var id = clientId ?? "";
        if (id.Length > MaxLabelLength || id.Any(char.IsControl))
        {
            throw Invalid(ClientIdHeader, $"'{ClientIdHeader}' must be at most {MaxLabelLength} printable characters.");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (labelsHeader ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2, StringSplitOptions.TrimEntries) is not [var name, var value] || !IsLabel(name, value)
                || !labels.TryAdd(name, value) || labels.Count > MaxLabels)
            {
                throw Invalid(LabelsHeader,
                    $"'{LabelsHeader}' must be name=value pairs separated by commas, each name once, at most {MaxLabels} (letters, digits, . _ - in names).");
            }
        }

        return new ConfigClient(id.Length > 0 ? id : address?.ToString() ?? "", address, labels);
    }

    private static bool IsLabel(string name, string value) =>
        name.Length is > 0 and <= MaxLabelLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && value.Length <= MaxLabelLength && !value.Any(c => char.IsControl(c) || c is ',' or '=');

    private static ValidationException Invalid(string header, string message) =>
        new([new FluentValidation.Results.ValidationFailure(header, message)]);
}
