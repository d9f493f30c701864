using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Audit;

/// <summary>The audit log, newest first, filtered by actor, action prefix, namespace, outcome and time.</summary>
internal sealed record ListAuditQuery(
    string? Actor, string? Action, string? Namespace, string? Outcome, DateTimeOffset? From, DateTimeOffset? To, int Page, int PageSize)
    : IQuery<Paged<AuditEntryInfo>>;

internal sealed class ListAuditValidator : AbstractValidator<ListAuditQuery>
{
    public ListAuditValidator()
    {
        RuleFor(q => q.Actor).MaximumLength(128);
        RuleFor(q => q.Action).MaximumLength(64);
        RuleFor(q => q.Namespace).MaximumLength(NameRules.NamespaceMaxLength);
        RuleFor(q => q.Outcome).Must(o => o is null or AuditNote.Ok or AuditNote.Denied)
            .WithMessage($"'{{PropertyName}}' must be '{AuditNote.Ok}' or '{AuditNote.Denied}'.");
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null);
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}

internal sealed class ListAuditHandler(AuditLog audit) : IQueryHandler<ListAuditQuery, Paged<AuditEntryInfo>>
{
    public async ValueTask<Paged<AuditEntryInfo>> Handle(ListAuditQuery query, CancellationToken cancellationToken)
    {
        var matches = (await audit.NewestAsync(record =>
                (query.Actor is null || record.Actor == query.Actor)
                && (query.Action is null || record.Action.StartsWith(query.Action, StringComparison.Ordinal))
                && (query.Namespace is null || record.Namespace == query.Namespace)
                && (query.Outcome is null || record.Outcome == query.Outcome)
                && (query.From is null || record.Time >= query.From)
                && (query.To is null || record.Time <= query.To), cancellationToken))
            .ToList();
        return matches.ToPage(query.Page, query.PageSize, static r => r.ToInfo());
    }
}

internal static class AuditMapping
{
    public static AuditEntryInfo ToInfo(this AuditRecord record) => new()
    {
        Time = record.Time,
        Actor = record.Actor,
        Address = record.Address,
        Action = record.Action,
        Namespace = record.Namespace,
        Target = record.Target,
        Outcome = record.Outcome,
        Detail = record.Detail,
        Revision = record.Revision,
    };
}
