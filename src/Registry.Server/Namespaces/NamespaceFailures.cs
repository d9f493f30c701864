using Registry.Server.Infrastructure;

namespace Registry.Server.Namespaces;

internal static class NamespaceFailures
{
    public static Failure NotFound(string ns) => new(
        StatusCodes.Status404NotFound, "namespace-not-found", "The namespace does not exist.",
        $"Namespace '{ns}' does not exist; create it with PUT /v1/namespaces/{ns}.");

    public static Failure NotEmpty(string ns, int services, int configs) => new(
        StatusCodes.Status409Conflict, "namespace-not-empty", "The namespace is not empty.",
        $"Namespace '{ns}' still holds {services} service(s) and {configs} config item(s); delete them first.");

    public static Failure DefaultIsPermanent() => new(
        StatusCodes.Status409Conflict, "default-namespace", "The default namespace cannot be deleted.",
        $"Namespace '{NameRules.DefaultNamespace}' is built in and always exists.");
}
