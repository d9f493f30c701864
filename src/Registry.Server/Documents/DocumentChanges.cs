using System.Text.Json.Serialization;
using Registry.Server.Log;

namespace Registry.Server.Documents;

/// <summary>
/// A version of a document written (a deletion is a version too), with history kept from <see cref="FirstVersion"/>:
/// what count retention let go, from <see cref="TrimmedFrom"/>, leaves history with it.
/// </summary>
/// <param name="Current">
/// Null when <see cref="Version"/> becomes the current version; else it is a note of history (a candidate, or its
/// end) and the document's current version stays this one.
/// </param>
/// <param name="Candidate">The document's candidate after the write (<see cref="Version"/> itself, when it is the note).</param>
internal abstract record DocumentWritten<TKey, TBody>(
    TKey Document,
    DocumentVersion<TBody> Version,
    long FirstVersion,
    long TrimmedFrom,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentVersion<TBody>? Current = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentVersion<TBody>? Candidate = null)
    : Change
    where TKey : struct, IDocumentKey
    where TBody : class
{
    public override string Key() => Kind().LogKey(Document);

    public override IEnumerable<string> Scopes() => Kind().Scopes(Document);

    /// <summary>The document after the write, with the revision it took.</summary>
    public DocumentHead<TBody> Head(long revision)
    {
        var version = Version with { Revision = revision };
        var candidate = Candidate is { } c && c.Version == version.Version ? version : Candidate;
        return new DocumentHead<TBody>(Current ?? version, FirstVersion, version.Version, candidate);
    }

    public override void Materialize(IDocumentWriter writer, long revision)
    {
        var kind = Kind();
        var head = Head(revision);
        var version = Version with { Revision = revision };
        writer.Put(kind.HeadCollection, DocumentKeys.Store(Document), kind.EncodeHead(head));
        writer.Put(kind.HistoryCollection, DocumentKeys.Version(Document, version.Version), kind.EncodeVersion(version), created: true);
        if (TrimmedFrom < FirstVersion)
        {
            writer.DeleteRange(kind.HistoryCollection, DocumentKeys.Version(Document, TrimmedFrom), DocumentKeys.Version(Document, FirstVersion));
        }
    }

    protected abstract DocumentKind<TKey, TBody> Kind();
}

/// <summary>History before <see cref="DocumentHead{TBody}.FirstVersion"/> let go for its age; <see cref="Head"/> is the document after it.</summary>
internal abstract record DocumentTrimmed<TKey, TBody>(TKey Document, DocumentHead<TBody> Head, long TrimmedFrom) : Change
    where TKey : struct, IDocumentKey
    where TBody : class
{
    public override string Key() => Kind().LogKey(Document);

    public override void Materialize(IDocumentWriter writer, long revision)
    {
        var kind = Kind();
        writer.Put(kind.HeadCollection, DocumentKeys.Store(Document), kind.EncodeHead(Head));
        writer.DeleteRange(kind.HistoryCollection, DocumentKeys.Version(Document, TrimmedFrom), DocumentKeys.Version(Document, Head.FirstVersion));
    }

    protected abstract DocumentKind<TKey, TBody> Kind();
}

/// <summary>A document removed with its whole history (the metadata document of a service that is deleted).</summary>
internal abstract record DocumentRemoved<TKey, TBody>(TKey Document) : Change
    where TKey : struct, IDocumentKey
    where TBody : class
{
    public override string Key() => Kind().LogKey(Document);

    public override void Materialize(IDocumentWriter writer, long revision)
    {
        var kind = Kind();
        var key = DocumentKeys.Store(Document);
        writer.Delete(kind.HeadCollection, key);

        // Every version key is the document's key, '/', a number: all of them sort from "key/" to just before "key0".
        writer.DeleteRange(kind.HistoryCollection, key + "/", key + "0");
    }

    protected abstract DocumentKind<TKey, TBody> Kind();
}
