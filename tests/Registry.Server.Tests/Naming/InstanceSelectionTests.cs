using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class InstanceSelectionTests
{
    private static readonly ServiceKey Key = new("public", "DEFAULT_GROUP", "orders");

    [Fact]
    public void Rendered_EqualFiltersOfSeparateRequests_ShareOneRendering()
    {
        var view = View(Instance("10.0.0.1", "a"), Instance("10.0.0.2", "b"));
        var leases = new LeasePolicy(Options.Create(new NamingOptions()));

        var first = InstanceSelection.Rendered(view, new InstanceFilter(true, "a,b", null), leases);
        var second = InstanceSelection.Rendered(view, new InstanceFilter(true, "a,b", null), leases);
        var other = InstanceSelection.Rendered(view, new InstanceFilter(true, "a", null), leases);

        Assert.Same(first, second);
        Assert.NotSame(first, other);
    }

    private static ServiceView View(params Instance[] instances) => new(
        Key,
        new ServiceRecord(0, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch, 1),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, instances.Select(i => KeyValuePair.Create(i.Id, i))),
        null,
        1);

    private static Instance Instance(string ip, string cluster) => new(
        new InstanceRecord(
            $"{ip}#8080#{cluster}", ip, 8080, cluster, null, true, true, true, new Dictionary<string, string>(), null, null, null,
            DateTimeOffset.UnixEpoch, 1),
        revision: 1, lastBeat: 0);
}
