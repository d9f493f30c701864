using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Namespaces;

internal sealed record GetNamespaceQuery(string Namespace) : IQuery<Outcome<NamespaceInfo>>;

internal sealed class GetNamespaceValidator : AbstractValidator<GetNamespaceQuery>
{
    public GetNamespaceValidator() => RuleFor(q => q.Namespace).ValidName(NameRules.NamespaceMaxLength);
}

internal sealed class GetNamespaceHandler(NamingRegistry registry) : IQueryHandler<GetNamespaceQuery, Outcome<NamespaceInfo>>
{
    public ValueTask<Outcome<NamespaceInfo>> Handle(GetNamespaceQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Outcome<NamespaceInfo>>(registry.FindNamespace(query.Namespace) is { } record
            ? record.ToInfo(registry)
            : NamingFailures.NamespaceNotFound(query.Namespace));
}
