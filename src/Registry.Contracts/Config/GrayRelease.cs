using System.Text.Json.Serialization;

namespace Registry.Contracts.Config;

/// <summary>
/// Which clients get a config item's gray version: a client whose address is in <see cref="Addresses"/>, or that
/// carries every label of <see cref="Labels"/>, or whose id falls in the first <see cref="Percentage"/> percent of a
/// stable hash. Every other client gets the released version.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GrayRule
{
    /// <summary>Client addresses and CIDR ranges (<c>10.0.0.7</c>, <c>10.20.0.0/16</c>, IPv6 too).</summary>
    public IReadOnlyList<string>? Addresses { get; init; }

    /// <summary>Labels a client must all carry (it sends them in <c>X-Registry-Labels: zone=eu,canary=true</c>).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>
    /// 0..100: the share of clients by a stable hash of their id (<c>X-Registry-Client-Id</c>, else their address);
    /// raising it keeps every client it had.
    /// </summary>
    public int? Percentage { get; init; }
}

/// <summary>Body of <c>PUT /v1/configs/{dataId}/gray</c>: a gray version and the clients it is for.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GrayReleaseRequest
{
    /// <summary>The gray version's content.</summary>
    public string? Content { get; init; }

    /// <summary>Its format; by default the released version's.</summary>
    public string? Format { get; init; }

    /// <summary>The clients that get it.</summary>
    public GrayRule? Rule { get; init; }
}

/// <summary>A config item's gray version: what it holds and which clients get it, beside the released version.</summary>
public sealed record ConfigGrayInfo
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string DataId { get; init; }
    /// <summary>The gray version's number, from the item's numbering: it is in the item's history.</summary>
    public required long Version { get; init; }
    /// <summary>The released version the other clients get.</summary>
    public required long ReleasedVersion { get; init; }
    public required string Format { get; init; }
    public required string Md5 { get; init; }
    public required int Size { get; init; }
    public required GrayRule Rule { get; init; }
    /// <summary><c>gray</c> when it was published, <c>gray-rule</c> when its rule was changed since.</summary>
    public required string Op { get; init; }
    public required string Author { get; init; }
    public required string SourceAddress { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required long Revision { get; init; }
}

/// <summary>A client the server has seen read a config item (by read, long poll or watch), and the version it got.</summary>
public sealed record ConfigClientInfo
{
    /// <summary>Its id: <c>X-Registry-Client-Id</c>, else its address.</summary>
    public required string Id { get; init; }
    public required string Address { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required long Version { get; init; }
    /// <summary>Whether <see cref="Version"/> is the gray version.</summary>
    public required bool Gray { get; init; }
    /// <summary><c>read</c>, <c>poll</c> or <c>watch</c>.</summary>
    public required string Via { get; init; }
    public required DateTimeOffset SeenAt { get; init; }
    /// <summary>The node that served it, in a cluster.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Node { get; init; }
}
