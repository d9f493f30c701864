using Microsoft.Extensions.Time.Testing;
using Registry.Server.Config;
using Registry.Server.Documents;
using Registry.Server.Log;

namespace Registry.Server.Tests.Config;

public sealed class ConfigClientsTests
{
    private static readonly ConfigKey Key = new("public", "DEFAULT_GROUP", "app.yaml");

    private static readonly DocumentVersion<ConfigBody> Released =
        new(1, "create", ConfigDocuments.Body("a: 1\n", "yaml"), "admin", "", DateTimeOffset.UnixEpoch, 1);

    [Fact]
    public void Saw_FullItem_TakesNoNewClientWhileAllWereSeenWithinADay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clients = new ConfigClients(new SingleNode(), time);
        Fill(clients);

        time.Advance(TimeSpan.FromHours(23));
        clients.Saw(Key, Client("late"), Released, ConfigClients.Read);

        Assert.Equal(ConfigClients.MaxPerItem, clients.Of(Key).Count);
        Assert.DoesNotContain(clients.Of(Key), c => c.Id == "late");
    }

    [Fact]
    public void Saw_FullItemOfClientsGoneForADay_ForgetsThemToTakeANewOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clients = new ConfigClients(new SingleNode(), time);
        Fill(clients);

        time.Advance(ConfigClients.ForgetAfter + TimeSpan.FromMinutes(1));
        clients.Saw(Key, Client("new-pod"), Released, ConfigClients.Poll);

        var seen = Assert.Single(clients.Of(Key));
        Assert.Equal(("new-pod", 1L, "poll"), (seen.Id, seen.Version, seen.Via));
    }

    [Fact]
    public void Of_ClientNotSeenForADay_IsForgotten()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clients = new ConfigClients(new SingleNode(), time);
        clients.Saw(Key, Client("old"), Released, ConfigClients.Read);
        time.Advance(TimeSpan.FromHours(12));
        clients.Saw(Key, Client("recent"), Released, ConfigClients.Watch);

        time.Advance(TimeSpan.FromHours(13));

        Assert.Equal(["recent"], clients.Of(Key).Select(c => c.Id));
    }

    private static void Fill(ConfigClients clients)
    {
        for (var i = 0; i < ConfigClients.MaxPerItem; i++)
        {
            clients.Saw(Key, Client($"pod-{i}"), Released, ConfigClients.Read);
        }
    }

    private static ConfigClient Client(string id) => new(id, null, new Dictionary<string, string>());
}
