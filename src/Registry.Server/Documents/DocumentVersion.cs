using System.Text.Json.Serialization;

namespace Registry.Server.Documents;

/// <summary>What addresses a versioned document: a config item, or the metadata document of a service.</summary>
internal interface IDocumentKey
{
    string Namespace { get; }

    string Group { get; }

    string Name { get; }
}

/// <summary>One version of a document: what was saved, by whom and when. A deletion is a version without a body.</summary>
/// <param name="Revision">The revision of the entry that wrote it (0 while it is only decided).</param>
internal sealed record DocumentVersion<TBody>(
    long Version, string Op, TBody? Body, string Author, string SourceAddress, DateTimeOffset Time, long Revision)
    where TBody : class
{
    [JsonIgnore]
    public bool Deleted => Body is null;
}

/// <summary>
/// Where a document stands: its current version (a deletion too, so numbering goes on when it is saved again), the
/// oldest version its history still keeps, and a candidate: a version served to some readers before it becomes
/// current (a config's gray release). Every version, current, candidate or a note of history (a candidate widened or
/// abandoned), takes the next number.
/// </summary>
/// <param name="LastVersion">The newest number taken, when a note of history came after the current version.</param>
internal sealed record DocumentHead<TBody>(
    DocumentVersion<TBody> Current, long FirstVersion, long LastVersion = 0, DocumentVersion<TBody>? Candidate = null) where TBody : class
{
    public long Version => Current.Version;

    /// <summary>The newest number taken: the next version takes the one after it.</summary>
    public long Last => Math.Max(LastVersion, Math.Max(Current.Version, Candidate?.Version ?? 0));

    /// <summary>The current version unless it is a deletion.</summary>
    public DocumentVersion<TBody>? Live => Current.Deleted ? null : Current;
}
