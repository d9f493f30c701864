using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Registry.Server.Config;

/// <summary>
/// Describes the publish body, which the endpoint reads raw (so any content type is accepted, and none is
/// refused by routing), and makes it a practical editor in Swagger UI: a media type per format with an
/// example document, JSON as a free-form object so the editor sends it as written.
/// </summary>
internal sealed class ConfigExamples : IOperationFilter
{
    private static readonly Dictionary<string, string> Examples = new()
    {
        ["application/yaml"] = "server:\n  port: 8080\nfeatures:\n  checkout: true\n",
        ["text/x-java-properties"] = "server.port=8080\nfeatures.checkout=true\n",
        ["application/xml"] = "<config>\n  <server port=\"8080\"/>\n  <feature name=\"checkout\" enabled=\"true\"/>\n</config>\n",
        ["text/plain"] = "any text\n",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "PublishConfig")
        {
            return;
        }

        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var mediaType in ConfigEndpoints.ContentTypes)
        {
            content[mediaType] = mediaType == "application/json"
                ? new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object },
                    Example = new JsonObject
                    {
                        ["server"] = new JsonObject { ["port"] = 8080 },
                        ["features"] = new JsonObject { ["checkout"] = true },
                    },
                }
                : new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Example = JsonValue.Create(Examples[mediaType]),
                };
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The raw document. Its format comes from ?format=, else the data id's extension, else this content type, else text.",
            Content = content,
        };
    }
}
