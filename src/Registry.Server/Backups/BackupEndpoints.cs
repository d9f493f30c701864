using System.Globalization;
using Registry.Contracts;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Backups;

/// <summary>
/// <c>POST /v1/admin/backup</c>: a consistent copy of all data, taken while serving, as a LiteDB file the
/// server can start from (<c>Registry:Storage:Path</c>).
/// </summary>
internal static class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/backup", CreateBackup).WithName(nameof(CreateBackup)).RecordsAuthor().WithTags("Admin")
            .WithSummary("Download a consistent backup of all data (a LiteDB file); writes go on while it is taken.")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesAccessProblems().ProducesWriteProblems();
        return app;
    }

    private static async Task<IResult> CreateBackup(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var backup = await mediator.Send(new CreateBackupCommand(RequestActors.From(http.Request)), ct);
        http.Response.Headers[RegistryHeaders.Revision] = backup.Revision.ToString(CultureInfo.InvariantCulture);
        http.Response.RegisterForDispose(new DeleteOnDispose(backup.Path));
        return TypedResults.PhysicalFile(backup.Path, "application/octet-stream", $"registry-{backup.Revision}.db");
    }

    /// <summary>Removes the backup file once the response is sent.</summary>
    private sealed class DeleteOnDispose(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
