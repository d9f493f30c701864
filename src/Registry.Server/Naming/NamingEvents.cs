using Registry.Server.Events;

namespace Registry.Server.Naming;

/// <summary>The naming center's events on the change feed: a service's instance view after each change.</summary>
internal static class NamingEvents
{
    public const string Kind = "service";

    /// <summary>SSE event carrying a service's instance list.</summary>
    public const string Instances = "instances";

    /// <summary>SSE event carrying a service's metadata document.</summary>
    public const string Metadata = "metadata";

    public static EventTopic Topic(ServiceKey key) => new(Kind, key.Namespace, key.Group, key.Name);

    public static ChangeEvent InstancesChanged(ServiceView view, long revision, LeasePolicy leases) =>
        new(revision, Topic(view.Key), Instances, new InstancesPayload(view, leases)) { Coalescible = true };
}

/// <summary>A service's view as of a revision; each watch renders it with its own filter, once per view and filter.</summary>
internal sealed class InstancesPayload(ServiceView view, LeasePolicy leases) : EventPayload
{
    public ServiceView View { get; } = view;

    public override int Size => 256 + (View.InstanceCount * 16);

    public byte[] Render(InstanceFilter filter) => InstanceSelection.Rendered(View, filter, leases);

    protected override byte[] Render() => Render(InstanceFilter.All);
}
