using Microsoft.Extensions.Configuration;

namespace Registry.Client.Configuration;

internal sealed class RegistryConfigurationSource(string dataId, RegistryConfigOptions options) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RegistryConfigurationProvider(dataId, options);
}
