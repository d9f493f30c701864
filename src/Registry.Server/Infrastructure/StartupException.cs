namespace Registry.Server.Infrastructure;

/// <summary>The server cannot start, or run a command, as asked; the message says why and what to change.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
