namespace Registry.Contracts;

/// <summary>HTTP header names of the Registry API.</summary>
public static class RegistryHeaders
{
    /// <summary>The revision a mutation took, on every successful change.</summary>
    public const string Revision = "X-Registry-Revision";
}
