namespace Registry.Server.Infrastructure;

/// <summary>A validation error that knows where in a document it is (1-based), reported as problem members.</summary>
internal interface ILocatedError
{
    int? Line { get; }

    int? Column { get; }
}
