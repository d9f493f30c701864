using Microsoft.Extensions.Options;
using Registry.Server.Documents;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>Age retention of metadata history (<see cref="MetadataOptions.HistoryMaxAge"/>); count retention happens on write.</summary>
internal sealed class MetadataHistoryRetention(
    MetadataTable documents, ChangeWriter writer, IOptions<MetadataOptions> options, TimeProvider time, ILogger<MetadataHistoryRetention> logger)
    : DocumentRetention<ServiceKey, MetadataBody>(documents, writer, time, logger)
{
    protected override TimeSpan MaxAge => options.Value.HistoryMaxAge;

    protected override TimeSpan Interval => options.Value.RetentionInterval;
}
