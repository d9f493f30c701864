using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>A disk that can be made to fail: writes are refused while <see cref="Failing"/> is set.</summary>
internal sealed class FlakyDisk : IDiskFaults
{
    public volatile bool Failing;

    public string? Fault => Failing ? "No space left on device" : null;
}
