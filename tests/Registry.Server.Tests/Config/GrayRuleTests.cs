using System.Net;
using Registry.Server.Config;

namespace Registry.Server.Tests.Config;

public sealed class GrayRuleTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Theory]
    [InlineData("10.0.0.7", true)]
    [InlineData("10.1.255.254", true)]
    [InlineData("fd00::42", true)]
    [InlineData("10.0.0.8", false)]
    [InlineData("192.168.1.1", false)]
    public void Matches_Address_InTheListOrARange(string address, bool matches)
    {
        var rule = new ConfigGrayRule(["10.0.0.7", "10.1.0.0/16", "fd00::/8"], NoLabels, 0);

        Assert.Equal(matches, rule.Matches(new ConfigClient("pod", IPAddress.Parse(address), NoLabels)));
    }

    [Fact]
    public void Matches_Labels_OnlyAClientWithEveryOne()
    {
        var rule = new ConfigGrayRule([], new Dictionary<string, string> { ["zone"] = "eu", ["canary"] = "true" }, 0);

        Assert.True(rule.Matches(new ConfigClient("a", null, new Dictionary<string, string> { ["zone"] = "eu", ["canary"] = "true", ["x"] = "y" })));
        Assert.False(rule.Matches(new ConfigClient("b", null, new Dictionary<string, string> { ["zone"] = "eu" })));
        Assert.False(rule.Matches(new ConfigClient("c", null, new Dictionary<string, string> { ["zone"] = "us", ["canary"] = "true" })));
    }

    [Fact]
    public void Matches_Percentage_AShareOfIdsThatOnlyGrows()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"client-{i}").ToList();

        var tenth = ids.Where(id => new ConfigGrayRule([], NoLabels, 10).Matches(new ConfigClient(id, null, NoLabels))).ToHashSet();
        var quarter = ids.Where(id => new ConfigGrayRule([], NoLabels, 25).Matches(new ConfigClient(id, null, NoLabels))).ToHashSet();

        Assert.InRange(tenth.Count, 900, 1100);
        Assert.InRange(quarter.Count, 2300, 2700);
        Assert.Subset(quarter, tenth);
        Assert.False(new ConfigGrayRule([], NoLabels, 100).Matches(ConfigClient.Anonymous));
    }
}
