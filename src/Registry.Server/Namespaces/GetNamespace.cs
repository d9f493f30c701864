using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Namespaces;

internal sealed record GetNamespaceQuery(string Namespace) : IQuery<Outcome<NamespaceInfo>>;

internal sealed class GetNamespaceValidator : AbstractValidator<GetNamespaceQuery>
{
    public GetNamespaceValidator() => RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
}

internal sealed class GetNamespaceHandler(NamespaceTable namespaces, NamespaceCounter counter)
    : IQueryHandler<GetNamespaceQuery, Outcome<NamespaceInfo>>
{
    public ValueTask<Outcome<NamespaceInfo>> Handle(GetNamespaceQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Outcome<NamespaceInfo>>(namespaces.Find(query.Namespace) is { } record
            ? record.ToInfo(counter)
            : NamespaceFailures.NotFound(query.Namespace));
}
