using System.Text;
using Microsoft.Extensions.Options;
using Registry.Server.Events;

namespace Registry.Server.Tests.Events;

public sealed class ChangeFeedTests
{
    private static readonly EventTopic Topic = new("config", "public", "g", "k");

    [Fact]
    public void Subscribe_AfterARetainedRevision_ReplaysOnlyLaterMatchingEventsInOrder()
    {
        var feed = NewFeed(new EventOptions());
        feed.Append([Change(1), Change(2, "other"), Change(3)], 3);

        using var subscription = feed.Subscribe(e => e.Topic.Name == "k", after: 1);

        Assert.False(subscription.ResetRequired);
        Assert.Equal([3L], subscription.Replay.Select(e => e.Revision));
        Assert.Equal(3, subscription.StartRevision);
    }

    [Fact]
    public void Subscribe_AfterAnEvictedRevision_AsksForAReset()
    {
        var feed = NewFeed(new EventOptions { RetainedEvents = 2 });
        feed.Append([Change(1), Change(2), Change(3)], 3);

        using var tooOld = feed.Subscribe(_ => true, after: 0);
        using var justInTime = feed.Subscribe(_ => true, after: 1);

        Assert.True(tooOld.ResetRequired);
        Assert.Empty(tooOld.Replay);
        Assert.False(justInTime.ResetRequired);
        Assert.Equal([2L, 3L], justInTime.Replay.Select(e => e.Revision));
    }

    [Fact]
    public void Append_BeyondTheByteBudget_ForgetsTheOldestEvents()
    {
        var feed = NewFeed(new EventOptions { RetainedBytes = 250 });
        feed.Append([Change(1, size: 100), Change(2, size: 100), Change(3, size: 100)], 3);

        using var tooOld = feed.Subscribe(_ => true, after: 0);
        using var kept = feed.Subscribe(_ => true, after: 1);

        Assert.True(tooOld.ResetRequired);
        Assert.Equal([2L, 3L], kept.Replay.Select(e => e.Revision));
    }

    [Fact]
    public void Subscribe_RevisionsWithoutEvents_AreNotAGap()
    {
        var feed = NewFeed(new EventOptions());
        feed.Append([], 5);

        using var subscription = feed.Subscribe(_ => true, after: 4);

        Assert.False(subscription.ResetRequired);
        Assert.Empty(subscription.Replay);
    }

    [Fact]
    public void SubscriberCount_InternalConsumer_IsNotCountedButGetsEvents()
    {
        var feed = NewFeed(new EventOptions());
        using var watch = feed.Subscribe(_ => true);
        using var consumer = feed.Subscribe(_ => true, internalConsumer: true);

        feed.Append([Change(1)], 1);

        Assert.Equal(1, feed.SubscriberCount);
        Assert.True(consumer.Events.TryRead(out var change));
        Assert.Equal(1, change.Revision);
    }

    [Fact]
    public async Task Append_ToAFullSubscriber_DropsItWithoutBlocking()
    {
        var feed = NewFeed(new EventOptions { SubscriberBuffer = 2 });
        using var slow = feed.Subscribe(_ => true);
        using var fast = feed.Subscribe(_ => true);

        for (var revision = 1; revision <= 3; revision++)
        {
            feed.Append([Change(revision)], revision);
            Assert.True(fast.Events.TryRead(out _));
        }

        Assert.True(slow.Overflowed.IsCancellationRequested);
        Assert.Equal(1, feed.SubscriberCount);
        var drained = new List<long>();
        await foreach (var change in slow.Events.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            drained.Add(change.Revision);
        }

        Assert.Equal([1L, 2L], drained);
    }

    private static ChangeFeed NewFeed(EventOptions options) => new(Options.Create(options), TimeProvider.System);

    private static ChangeEvent Change(long revision, string name = "k", int size = 74) =>
        new(revision, Topic with { Name = name }, "config", new Payload(size - 64));

    private sealed class Payload(int size) : EventPayload
    {
        public override int Size => size;

        protected override byte[] Render() => Encoding.UTF8.GetBytes("{}");
    }
}
