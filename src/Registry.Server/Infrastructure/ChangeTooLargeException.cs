namespace Registry.Server.Infrastructure;

/// <summary>
/// The store takes no change this large (a cluster store's transaction limit): nothing of it was applied. The
/// message is for the client: how large it was, the limit, and what fits.
/// </summary>
internal sealed class ChangeTooLargeException(string message) : Exception(message);
