using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Registry.Contracts.Metadata;
using Registry.Server.Infrastructure;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Registry.Server.Metadata;

/// <summary>
/// Describes the merge patch body, which the endpoint binds as a free JSON object, by the fields of the document
/// it changes, with an example that sets one weight override and removes a property.
/// </summary>
internal sealed class MetadataPatchExample : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "PatchServiceMetadata" || operation.RequestBody?.Content is not { } content)
        {
            return;
        }

        var schema = context.SchemaGenerator.GenerateSchema(typeof(ServiceMetadata), context.SchemaRepository);
        foreach (var mediaType in new[] { JsonMergePatch.MediaType, "application/json" })
        {
            content[mediaType] = new OpenApiMediaType
            {
                Schema = schema,
                Example = new JsonObject
                {
                    ["instanceWeights"] = new JsonObject { ["10.1.0.1#8080#DEFAULT"] = 0 },
                    ["properties"] = new JsonObject { ["owner"] = null },
                },
            };
        }
    }
}
