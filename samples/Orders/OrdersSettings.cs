namespace Registry.Samples.Orders;

/// <summary>The settings of section <c>Orders</c>; Greeting and Discount are published in orders.json.</summary>
internal sealed class OrdersSettings
{
    public const string Section = "Orders";

    public string Greeting { get; set; } = "hello (not configured yet)";

    public decimal Discount { get; set; }

    /// <summary>How this instance names itself in answers; by default the machine name and the local port.</summary>
    public string? InstanceName { get; set; }
}
