using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>A unified diff between two versions (<c>to</c> defaults to the current one); a deletion counts as empty.</summary>
internal sealed record DiffConfigQuery(string Namespace, string Group, string DataId, long From, long? To)
    : IQuery<Outcome<string>>, IConfigAddress;

internal sealed class DiffConfigValidator : AbstractValidator<DiffConfigQuery>
{
    public DiffConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(q => q.From).GreaterThanOrEqualTo(1);
        RuleFor(q => q.To).GreaterThanOrEqualTo(1);
    }
}

internal sealed class DiffConfigHandler(ConfigTable configs) : IQueryHandler<DiffConfigQuery, Outcome<string>>
{
    public async ValueTask<Outcome<string>> Handle(DiffConfigQuery query, CancellationToken cancellationToken) =>
        await configs.DiffAsync(query.ConfigKey(), query.From, query.To, cancellationToken);
}
