namespace Registry.Server.Storage;

/// <summary>
/// Faults of the disk the local log writes to, checked before every append and probe: none in a running server;
/// tests that must see a write refused without a full disk, or held on a disk that does not answer, put one in.
/// </summary>
internal interface IDiskFaults
{
    /// <summary>Why the disk refuses writes now, or null.</summary>
    string? Fault { get; }

    /// <summary>Returns once the disk answers: blocks the log's writer while a test holds the disk.</summary>
    void WaitUntilAnswering();
}

internal sealed class NoDiskFaults : IDiskFaults
{
    public string? Fault => null;

    public void WaitUntilAnswering()
    {
    }
}
