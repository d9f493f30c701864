using FluentValidation;
using Mediator;
using Registry.Contracts.Config;

namespace Registry.Server.Config;

/// <summary>
/// Checks content by the rules of a publish without storing anything, so an editor can show the server's own
/// verdict (with its line and column) before the user publishes. Invalid content is refused by the validation
/// pipeline as a publish would be.
/// </summary>
internal sealed record ValidateConfigQuery(string Namespace, string Group, string DataId, string Content, string Format)
    : IQuery<ConfigValidation>, IConfigContent;

internal sealed class ValidateConfigValidator : AbstractValidator<ValidateConfigQuery>
{
    public ValidateConfigValidator()
    {
        this.ValidateConfigAddress();
        this.ValidateConfigContent();
    }
}

internal sealed class ValidateConfigHandler : IQueryHandler<ValidateConfigQuery, ConfigValidation>
{
    public ValueTask<ConfigValidation> Handle(ValidateConfigQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ConfigValidation(query.Format, System.Text.Encoding.UTF8.GetByteCount(query.Content)));
}
