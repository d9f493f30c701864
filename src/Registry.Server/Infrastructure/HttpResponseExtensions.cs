using System.Globalization;
using Registry.Contracts;

namespace Registry.Server.Infrastructure;

internal static class HttpResponseExtensions
{
    /// <summary>Tells the client which revision its change took.</summary>
    public static void SetRevision(this HttpResponse response, long revision) =>
        response.Headers[RegistryHeaders.Revision] = revision.ToString(CultureInfo.InvariantCulture);
}
