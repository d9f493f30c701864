using System.Text.Json;
using Registry.Server.Events;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>The <c>metadata</c> event of a service: its document as of a version, serialized once.</summary>
internal static class MetadataEvents
{
    public static ChangeEvent Changed(ServiceKey key, ServiceMetadataRecord record)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(record.ToInfo(key), MetadataStoreJson.Default.ServiceMetadataInfo);
        return new ChangeEvent(record.Revision, NamingEvents.Topic(key), NamingEvents.Metadata, data, data.Length + 128);
    }
}
