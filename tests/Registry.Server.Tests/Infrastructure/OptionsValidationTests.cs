using Microsoft.Extensions.Options;

namespace Registry.Server.Tests.Infrastructure;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Registry:Naming:UnhealthyAfter", "00:00:01", "UnhealthyAfter")]
    [InlineData("Registry:Naming:EvictAfter", "00:00:10", "EvictAfter")]
    [InlineData("Registry:Naming:SelfPreservation:Threshold", "1.5", "SelfPreservation:Threshold")]
    [InlineData("Registry:Naming:SweepInterval", "00:00:00", "SweepInterval")]
    [InlineData("Registry:Storage:MaxBatchSize", "0", "MaxBatchSize")]
    public void Start_InvalidOption_FailsNamingTheKey(string key, string value, string expected)
    {
        using var app = new RegistryApp(settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
