using Microsoft.OpenApi;
using Registry.Server.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Metadata;

namespace Registry.Server.Hosting;

/// <summary>
/// Swagger UI at <c>/swagger</c>; the document at <c>/swagger/v1/swagger.json</c> (and <c>.yaml</c>) is the
/// one committed as <c>openapi.yaml</c>.
/// </summary>
internal static class OpenApi
{
    public const string DocumentName = "v1";

    private const string BearerScheme = "bearer";

    private static readonly string[] XmlDocumentation = ["Registry.Server.xml", "Registry.Contracts.xml"];

    public static IServiceCollection AddRegistryOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Registry",
                Version = "v1",
                Description = "Naming, config and metadata center. Namespace and group are optional query "
                    + "parameters of every naming, metadata and config call (defaults 'public' and 'DEFAULT_GROUP'). "
                    + "Every error is application/problem+json; every change returns its revision in the "
                    + "X-Registry-Revision header. In a cluster, any read may send X-Registry-Min-Revision: <revision> to be "
                    + "answered only once the node has applied it (503 revision-not-reached after 5 s), and a node that lost "
                    + "its store marks its answers X-Registry-Stale: true.",
            });
            options.SupportNonNullableReferenceTypes();
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A Registry token (when auth is on): Authorization: Bearer <token>.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            // A free JSON object (a merge patch): an object, not the members of the node classes.
            options.MapType<System.Text.Json.Nodes.JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object });
            options.OperationFilter<ConfigExamples>();
            options.OperationFilter<MetadataPatchExample>();
            options.OperationFilter<AuthorHeader>();
            foreach (var file in XmlDocumentation)
            {
                var path = Path.Combine(AppContext.BaseDirectory, file);
                if (File.Exists(path))
                {
                    options.IncludeXmlComments(path);
                }
            }
        });
        return services;
    }

    /// <summary>
    /// Swagger UI under <c>/swagger</c>. The UI's middleware only sees requests for it, and the document is an
    /// endpoint (<see cref="MapRegistryOpenApi"/>): neither costs the API's requests anything.
    /// </summary>
    public static WebApplication UseRegistryOpenApi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), ui =>
            ui.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "Registry v1");
                options.DocumentTitle = "Registry";
            }));
        return app;
    }

    /// <summary><c>/swagger/v1/swagger.json</c> and <c>.yaml</c>.</summary>
    public static IEndpointRouteBuilder MapRegistryOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapSwagger();
        return app;
    }
}
