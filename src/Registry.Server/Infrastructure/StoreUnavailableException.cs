namespace Registry.Server.Infrastructure;

/// <summary>
/// The store cannot take a write (nothing of it was applied) or serve a read of what only it holds (history,
/// audit, backups). The message is for the client: what happened and what to do.
/// </summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);
