namespace Registry.Client.Telemetry;

/// <summary>
/// Since when something has been down (the registry, a config watch): set on the way down, cleared on the way up,
/// each transition reported to exactly one caller so that it is logged once.
/// </summary>
internal sealed class DownSince
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _since;

    /// <summary>Since when it is down; null while it is up.</summary>
    public DateTimeOffset? Value
    {
        get
        {
            lock (_lock)
            {
                return _since;
            }
        }
    }

    /// <summary>Marks it down at <paramref name="now"/>; true for the call that took it down.</summary>
    public bool Down(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_since is not null)
            {
                return false;
            }

            _since = now;
            return true;
        }
    }

    /// <summary>Marks it up; since when it had been down, for the call that brought it up, else null.</summary>
    public DateTimeOffset? Up()
    {
        lock (_lock)
        {
            var since = _since;
            _since = null;
            return since;
        }
    }
}
