namespace Registry.Server.Probes;

/// <summary>
/// Turns a run of probe results into a health: it calls for a flip only after the check's number of consecutive
/// results against the instance's health, so an instance that flaps does not flap in the registry. It counts against
/// the health the registry holds, so a flip that was not written is called for again.
/// </summary>
internal sealed class ProbeVerdict
{
    private int _against;

    /// <summary>Counts <paramref name="passed"/> against <paramref name="healthy"/>; returns the health it calls for, else null.</summary>
    public bool? Record(bool passed, bool healthy, ProbeDefinition check)
    {
        if (passed == healthy)
        {
            _against = 0;
            return null;
        }

        if (++_against < (healthy ? check.FailuresToUnhealthy : check.SuccessesToHealthy))
        {
            return null;
        }

        _against = 0;
        return passed;
    }
}
