using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;

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
        RuleFor(q => q.Outcome).Must(o => o is null or AuditRecord.Ok or AuditRecord.Denied)
            .WithMessage($"'{{PropertyName}}' must be '{AuditRecord.Ok}' or '{AuditRecord.Denied}'.");
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null);
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}

internal sealed class ListAuditHandler(AuditLog audit) : IQueryHandler<ListAuditQuery, Paged<AuditEntryInfo>>
{
    public ValueTask<Paged<AuditEntryInfo>> Handle(ListAuditQuery query, CancellationToken cancellationToken)
    {
        var matches = audit.Newest(record =>
                (query.Actor is null || record.Actor == query.Actor)
                && (query.Action is null || record.Action.StartsWith(query.Action, StringComparison.Ordinal))
                && (query.Namespace is null || record.Namespace == query.Namespace)
                && (query.Outcome is null || record.Outcome == query.Outcome)
                && (query.From is null || record.Time >= query.From)
                && (query.To is null || record.Time <= query.To))
            .ToList();
        return ValueTask.FromResult(matches.ToPage(query.Page, query.PageSize, static r => r.ToInfo()));
    }
}
