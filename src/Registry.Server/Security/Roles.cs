namespace Registry.Server.Security;

/// <summary>
/// What a token may do. <c>read</c>: read anything. <c>register</c>: register, beat and deregister instances.
/// <c>write</c>: change config, metadata and services (and what read and register may). <c>admin</c>: all
/// of that, plus namespaces, tokens and the audit log.
/// </summary>
internal static class Roles
{
    public const string Read = "read";
    public const string Register = "register";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly string[] All = [Read, Register, Write, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>True when holding <paramref name="granted"/> allows what <paramref name="required"/> protects.</summary>
    public static bool Allows(string granted, string required) => granted switch
    {
        Admin => true,
        Write => required is Write or Register or Read,
        _ => granted == required,
    };
}
