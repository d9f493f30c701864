using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Documents <see cref="Actors.UserHeader"/> on the changes that record their author
/// (<see cref="Actors.RecordsAuthor"/>), so Swagger UI can set the author that history and the audit log record
/// while auth is off.
/// </summary>
internal sealed class AuthorHeader : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AuthorMetadata>().Any())
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Actors.UserHeader,
            In = ParameterLocation.Header,
            Description = "The author that history and the audit log record while auth is off; with auth on, the token's name is.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Actors.MaxNameLength },
        });
    }
}

/// <summary>Endpoint metadata: the endpoint's change records its author.</summary>
internal sealed class AuthorMetadata
{
    public static readonly AuthorMetadata Instance = new();
}
