using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class NodeIdsTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 3000).Select(i => $"public/DEFAULT_GROUP/svc-{i % 30}/10.0.{i / 250}.{i % 250}#80#DEFAULT")];

    [Fact]
    public void Rendezvous_SameNodesInAnyOrder_PicksTheSameNodeForEachKey()
    {
        string[] nodes = ["node-a:8848", "node-b:8848", "node-c:8848"];

        Assert.All(Keys, key => Assert.Equal(NodeIds.Rendezvous(key, nodes), NodeIds.Rendezvous(key, nodes.Reverse())));
    }

    [Fact]
    public void Rendezvous_ThreeNodes_ShareTheKeys()
    {
        string[] nodes = ["node-a:8848", "node-b:8848", "node-c:8848"];

        var shares = Keys.GroupBy(key => NodeIds.Rendezvous(key, nodes)).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(nodes.Order(), shares.Keys.Order());
        Assert.All(shares.Values, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void Rendezvous_ANodeLeaves_MovesOnlyTheKeysItHad()
    {
        string[] nodes = ["node-a:8848", "node-b:8848", "node-c:8848"];
        var before = Keys.ToDictionary(key => key, key => NodeIds.Rendezvous(key, nodes));

        var after = Keys.ToDictionary(key => key, key => NodeIds.Rendezvous(key, nodes[..2]));

        Assert.All(Keys.Where(key => before[key] != "node-c:8848"), key => Assert.Equal(before[key], after[key]));
        Assert.DoesNotContain("node-c:8848", after.Values);
    }

    [Fact]
    public void Rendezvous_NoNodes_PicksNone() => Assert.Null(NodeIds.Rendezvous("public/DEFAULT_GROUP/orders/x", []));
}
