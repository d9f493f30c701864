using System.Globalization;
using Registry.Server.Infrastructure;

namespace Registry.Server.Documents;

/// <summary>
/// What differs between kinds of versioned documents (config items, metadata documents): where they are stored and
/// in which shape (kept as earlier versions wrote it), when two bodies are the same, how a body reads as text for a
/// diff, and how failures name the document. Everything else is the same for every kind.
/// </summary>
internal abstract class DocumentKind<TKey, TBody>
    where TKey : struct, IDocumentKey
    where TBody : class
{
    /// <summary>The kind's name, the first segment of its keys in the log: <c>config</c>, <c>metadata</c>.</summary>
    public abstract string Name { get; }

    public abstract string HeadCollection { get; }

    public abstract string HistoryCollection { get; }

    public abstract TKey ParseKey(string storeKey);

    public abstract byte[] EncodeHead(DocumentHead<TBody> head);

    public abstract DocumentHead<TBody> DecodeHead(byte[] document);

    public abstract byte[] EncodeVersion(DocumentVersion<TBody> version);

    public abstract DocumentVersion<TBody> DecodeVersion(byte[] document);

    public abstract bool SameContent(TBody a, TBody b);

    /// <summary>The body as text, line by line, for a diff.</summary>
    public abstract string Text(TBody body);

    public abstract Failure NotFound(TKey key);

    public abstract Failure VersionNotFound(TKey key, long version);

    public abstract Failure VersionIsDeletion(TKey key, long version);

    public abstract Failure VersionMismatch(TKey key, long currentVersion);

    /// <summary>Keys of collections a write of the document changes besides its own (the content of its namespace).</summary>
    public virtual IEnumerable<string> Scopes(TKey key) => [];

    public string LogKey(TKey key) => $"{Name}/{key.Namespace}/{key.Group}/{key.Name}";
}

internal static class DocumentKeys
{
    /// <summary>A document's key in the snapshot store: <c>namespace/group/name</c>.</summary>
    public static string Store(IDocumentKey key) => $"{key.Namespace}/{key.Group}/{key.Name}";

    /// <summary>The store key of one version; zero-padded so keys sort by version.</summary>
    public static string Version(IDocumentKey key, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.Namespace}/{key.Group}/{key.Name}/{version:D12}");
}
