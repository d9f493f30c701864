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

    /// <summary>The service's view as of now (the end of the batch); each stream renders it with its own filter.</summary>
    public static ChangeEvent InstancesChanged(ServiceEntry service, long revision)
    {
        var view = service.View();
        return new ChangeEvent(revision, Topic(service.Key), Instances, view, 256 + (view.InstanceCount * 16))
        {
            Coalescible = true,
        };
    }
}
