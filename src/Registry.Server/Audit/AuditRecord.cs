using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Admin;
using Registry.Server.Storage;

namespace Registry.Server.Audit;

/// <summary>An audit entry as stored; keyed by time so the log reads in order.</summary>
internal sealed record AuditRecord(
    DateTimeOffset Time, string Actor, string Address, string Action, string Namespace, string Target, string Outcome,
    string? Detail, long Revision)
{
    public const string Ok = "ok";
    public const string Denied = "denied";

    public static readonly StoreCollection<AuditRecord> Collection = new("audit", AuditStoreJson.Default.AuditRecord);

    public AuditEntryInfo ToInfo() => new()
    {
        Time = Time,
        Actor = Actor,
        Address = Address,
        Action = Action,
        Namespace = Namespace,
        Target = Target,
        Outcome = Outcome,
        Detail = Detail,
        Revision = Revision,
    };
}

/// <summary>What an audited command did, as it describes itself after it succeeded.</summary>
internal sealed record AuditEntry(Infrastructure.Actor Actor, string Action, string Namespace, string Target, long Revision, string? Detail = null);

/// <summary>A command whose successful outcome goes into the audit log.</summary>
internal interface IAuditedCommand
{
    /// <summary>The entry for <paramref name="response"/>, or null when it changed nothing (a failure).</summary>
    AuditEntry? Describe(object? response);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditRecord))]
internal sealed partial class AuditStoreJson : JsonSerializerContext;
