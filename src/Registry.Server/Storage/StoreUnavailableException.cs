namespace Registry.Server.Storage;

/// <summary>A write could not be made durable; nothing of it was applied.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);
