using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// A unified diff between two versions of a service's metadata document as indented JSON (<c>to</c> defaults to the
/// current one); a deletion counts as empty.
/// </summary>
internal sealed record DiffServiceMetadataQuery(string Namespace, string Group, string Service, long From, long? To)
    : IQuery<Outcome<string>>, IServiceAddress;

internal sealed class DiffServiceMetadataValidator : AbstractValidator<DiffServiceMetadataQuery>
{
    public DiffServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(q => q.From).GreaterThanOrEqualTo(1);
        RuleFor(q => q.To).GreaterThanOrEqualTo(1);
    }
}

internal sealed class DiffServiceMetadataHandler(MetadataTable documents) : IQueryHandler<DiffServiceMetadataQuery, Outcome<string>>
{
    public async ValueTask<Outcome<string>> Handle(DiffServiceMetadataQuery query, CancellationToken cancellationToken) =>
        await documents.DiffAsync(query.ServiceKey(), query.From, query.To, cancellationToken);
}
