using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// A disk that can be made to fail (writes are refused while <see cref="Failing"/> is set) or to hang (the log's
/// writer waits from <see cref="Hold"/> until <see cref="Answer"/>, with its batch taken in but not durable).
/// </summary>
internal sealed class FlakyDisk : IDiskFaults, IDisposable
{
    private readonly ManualResetEventSlim _answering = new(initialState: true);

    public volatile bool Failing;

    public string? Fault => Failing ? "No space left on device" : null;

    public void Hold() => _answering.Reset();

    public void Answer() => _answering.Set();

    public void WaitUntilAnswering() => _answering.Wait();

    public void Dispose()
    {
        _answering.Set();
        _answering.Dispose();
    }
}
