using Microsoft.Extensions.Options;
using Registry.Server.Probes;

namespace Registry.Server.Tests.Probes;

public sealed class ProbeTargetsTests
{
    [Theory]
    [InlineData("10.20.0.7", true)]
    [InlineData("10.21.0.7", false)]
    [InlineData("192.168.1.5", true)]
    [InlineData("192.168.1.6", false)]
    [InlineData("::ffff:10.20.3.4", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fd01::1", false)]
    public void Refusal_AddressInsideOrOutsideTheAllowedNetworks_AllowsOnlyInside(string address, bool allowed)
    {
        var targets = Targets("10.20.0.0/16", "192.168.1.5", "fd00::/16");

        Assert.Equal(allowed, targets.Refusal(address) is null);
    }

    [Fact]
    public void Refusal_NoNetworkAllowed_RefusesEveryAddressSayingWhy()
    {
        var refusal = Targets().Refusal("127.0.0.1");

        Assert.Equal("127.0.0.1 may not be probed: no network is allowed (Registry:Probes:AllowedNetworks is empty).", refusal);
    }

    [Fact]
    public void Refusal_HostName_IsRefusedEvenWhenEverythingIsAllowed()
    {
        var refusal = Targets("0.0.0.0/0").Refusal("orders.internal");

        Assert.Contains("is a host name", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("ten", false)]
    [InlineData("", false)]
    public void Options_Networks_AreValidatedAtStart(string network, bool valid)
    {
        var result = new ProbeOptionsValidator().Validate(new ProbeOptions { AllowedNetworks = [network] });

        Assert.Equal(valid, result.IsValid);
    }

    private static ProbeTargets Targets(params string[] networks) =>
        new(Options.Create(new ProbeOptions { AllowedNetworks = [.. networks] }));
}
