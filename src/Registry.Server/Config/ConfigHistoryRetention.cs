using Microsoft.Extensions.Options;
using Registry.Server.Documents;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>Age retention of config history (<see cref="ConfigOptions.HistoryMaxAge"/>); count retention happens on publish.</summary>
internal sealed class ConfigHistoryRetention(
    ConfigTable configs, ChangeWriter writer, IOptions<ConfigOptions> options, TimeProvider time, ILogger<ConfigHistoryRetention> logger)
    : DocumentRetention<ConfigKey, ConfigBody>(configs, writer, time, logger)
{
    protected override TimeSpan MaxAge => options.Value.HistoryMaxAge;

    protected override TimeSpan Interval => options.Value.RetentionInterval;
}
