using Registry.Server.Log;

namespace Registry.Server.Documents;

/// <summary>
/// A version of a document written (a deletion is a version too), with history kept from <see cref="FirstVersion"/>:
/// what count retention let go, from <see cref="TrimmedFrom"/>, leaves history with it.
/// </summary>
internal abstract record DocumentWritten<TKey, TBody>(TKey Document, DocumentVersion<TBody> Version, long FirstVersion, long TrimmedFrom)
    : Change
    where TKey : struct, IDocumentKey
    where TBody : class
{
    public override string Key() => Kind().LogKey(Document);

    public override IEnumerable<string> Scopes() => Kind().Scopes(Document);

    public override void Materialize(IDocumentWriter writer, long revision)
    {
        var kind = Kind();
        var version = Version with { Revision = revision };
        writer.Put(kind.HeadCollection, DocumentKeys.Store(Document), kind.EncodeHead(new DocumentHead<TBody>(version, FirstVersion)));
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
