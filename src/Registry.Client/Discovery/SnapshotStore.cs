using System.Text.Json;
using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Naming;

namespace Registry.Client.Discovery;

/// <summary>The last known list of each resolved service, one JSON file each, replaced atomically.</summary>
internal sealed partial class SnapshotStore(string directory, ILogger logger)
{
    public void Save(RegistryClientOptions options, string service, string? protocol, InstanceList list)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var path = PathOf(options, service, protocol);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(list, RegistryJsonContext.Default.InstanceList));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(logger, service, directory, ex);
        }
    }

    public InstanceList? Load(RegistryClientOptions options, string service, string? protocol)
    {
        try
        {
            var path = PathOf(options, service, protocol);
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), RegistryJsonContext.Default.InstanceList) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogSaveFailed(logger, service, directory, ex);
            return null;
        }
    }

    private string PathOf(RegistryClientOptions options, string service, string? protocol) =>
        Path.Combine(directory, Uri.EscapeDataString($"{options.Namespace}~{options.Group}~{service}~{protocol}") + ".json");

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The snapshot of '{Service}' in {Directory} could not be used")]
    private static partial void LogSaveFailed(ILogger logger, string service, string directory, Exception exception);
}
