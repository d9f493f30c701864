using System.Globalization;
using Registry.Contracts;
using Registry.Server.Audit;
using Registry.Server.Infrastructure;
using Registry.Server.Security;
using Registry.Server.Storage;

namespace Registry.Server.Backups;

/// <summary>
/// <c>POST /v1/admin/backup</c>: a consistent copy of all data, taken while serving, as a LiteDB file the
/// server can start from (<c>Registry:Storage:Path</c>).
/// </summary>
internal static partial class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/backup", CreateBackup).WithName(nameof(CreateBackup)).RecordsAuthor().WithTags("Admin")
            .WithSummary("Download a consistent backup of all data (a LiteDB file); writes pause while it is taken.")
            .RequireAccess(Roles.Admin, NamespaceScope.All)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesAccessProblems().ProducesWriteProblems();
        return app;
    }

    private static async Task<IResult> CreateBackup(
        HttpContext http, Committer committer, IRegistryStore store, AuditLog audit, ILogger<Committer> logger, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"registry-backup-{Guid.NewGuid():N}.db");
        var revision = await committer.ExclusiveAsync(() =>
        {
            store.Backup(file);
            return store.LastRevision;
        }, ct);
        await audit.RecordAsync(new AuditEntry(Actors.From(http.Request), "backup.create", TokenRules.AllNamespaces, "store", revision), ct);
        var bytes = new FileInfo(file).Length;
        LogBackup(logger, revision, bytes);

        http.Response.Headers[RegistryHeaders.Revision] = revision.ToString(CultureInfo.InvariantCulture);
        http.Response.RegisterForDispose(new DeleteOnDispose(file));
        return TypedResults.PhysicalFile(file, "application/octet-stream", $"registry-{revision}.db");
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Took a backup at revision {Revision} ({Bytes} bytes)")]
    private static partial void LogBackup(ILogger logger, long revision, long bytes);

    /// <summary>Removes the temporary backup file once the response is sent.</summary>
    private sealed class DeleteOnDispose(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
