namespace Registry.Server.Probes;

/// <summary>
/// Turns a run of probe results into a health: the health flips only after the check's number of consecutive results
/// against it, so an instance that flaps does not flap in the registry.
/// </summary>
internal sealed class ProbeVerdict(bool healthy)
{
    private int _against;

    public bool Healthy { get; private set; } = healthy;

    /// <summary>Counts <paramref name="passed"/>; returns the new health when it flips, else null.</summary>
    public bool? Record(bool passed, ProbeDefinition check)
    {
        if (passed == Healthy)
        {
            _against = 0;
            return null;
        }

        _against++;
        if (_against < (Healthy ? check.FailuresToUnhealthy : check.SuccessesToHealthy))
        {
            return null;
        }

        _against = 0;
        Healthy = passed;
        return Healthy;
    }
}
