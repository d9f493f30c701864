namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Registry server run by Aspire: its HTTP endpoint, and the admin token the AppHost gives it and the apps that
/// reference it (<c>Endpoint=http://host:port;Token=secret</c>).
/// </summary>
public sealed class RegistryResource(string name, ParameterResource token) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The port the server listens on inside its container.</summary>
    public const int TargetPort = 8848;

    /// <summary>The admin token the server is given and the apps connect with.</summary>
    public ParameterResource Token { get; } = token;

    /// <summary>The server's HTTP endpoint.</summary>
    public EndpointReference HttpEndpoint => new(this, HttpEndpointName);

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={HttpEndpoint.Property(EndpointProperty.Url)};Token={Token}");
}
