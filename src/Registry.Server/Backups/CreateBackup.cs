using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Security;

namespace Registry.Server.Backups;

/// <summary>Takes a consistent backup of everything applied, while serving, and records who took it.</summary>
internal sealed record CreateBackupCommand(Actor Actor) : ICommand<Backup>;

internal sealed partial class CreateBackupHandler(
    IChangeLog log, ChangeWriter writer, TimeProvider time, ILogger<CreateBackupHandler> logger) : ICommandHandler<CreateBackupCommand, Backup>
{
    public async ValueTask<Backup> Handle(CreateBackupCommand command, CancellationToken cancellationToken)
    {
        var backup = await log.BackupAsync(cancellationToken);
        try
        {
            await writer.WriteAsync(at => new Proposal(at)
                .Audited(new AuditNote(
                    time.GetUtcNow(), command.Actor, "backup.create", TokenRules.AllNamespaces, "store", AuditNote.Ok, null, backup.Revision))
                .Then(_ => true), cancellationToken);
        }
        catch
        {
            File.Delete(backup.Path);
            throw;
        }

        LogBackup(backup.Revision, backup.Bytes);
        return backup;
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Took a backup at revision {Revision} ({Bytes} bytes)")]
    private partial void LogBackup(long revision, long bytes);
}
