namespace Registry.Benchmarks.Load.Load;

/// <summary>Drives one HTTP endpoint with many keep-alive connections for a bounded time.</summary>
internal interface ILoadGenerator
{
    /// <summary>What the report calls this generator.</summary>
    string Description { get; }

    /// <summary>What the report says of this generator driving the server as <paramref name="shape"/> says.</summary>
    string Describe(LoadShape shape);

    Task<LoadResult> RunAsync(Uri server, RequestTemplate template, LoadShape shape, CancellationToken cancellationToken);
}
