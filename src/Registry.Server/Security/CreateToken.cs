using FluentValidation;
using Mediator;
using Registry.Contracts.Admin;
using Registry.Server.Audit;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Security;

/// <summary>
/// Creates a token; its secret is returned this once and only its hash is kept. Names are unique: history and
/// the audit log record who acted by the token's name.
/// </summary>
internal sealed record CreateTokenCommand(
    string? Name, List<string> Roles, List<string> Namespaces, DateTimeOffset? ExpiresAt, Actor Actor)
    : ICommand<Outcome<CreatedToken>>, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<CreatedToken> { Value: { } created }
        ? new AuditEntry(Actor, "token.create", TokenRules.AllNamespaces, created.Token.Id,
            0, $"{created.Token.Name}: {string.Join(",", created.Token.Roles)} in {string.Join(",", created.Token.Namespaces)}")
        : null;
}

internal sealed class CreateTokenValidator : AbstractValidator<CreateTokenCommand>
{
    public CreateTokenValidator(TimeProvider time)
    {
        RuleFor(c => c.Name).ValidTokenName();
        RuleFor(c => c.Roles).ValidRoles();
        RuleFor(c => c.Namespaces).ValidTokenNamespaces();
        RuleFor(c => c.ExpiresAt).GreaterThan(_ => time.GetUtcNow()).When(c => c.ExpiresAt is not null)
            .WithMessage("'{PropertyName}' must be in the future.");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class CreateTokenHandler(TokenRegistry tokens, Committer committer, TimeProvider time)
    : ICommandHandler<CreateTokenCommand, Outcome<CreatedToken>>
{
    public async ValueTask<Outcome<CreatedToken>> Handle(CreateTokenCommand command, CancellationToken cancellationToken)
    {
        var secret = TokenSecrets.Generate();
        var token = new TokenRecord(
            TokenIds.New(), command.Name!, TokenSecrets.Hash(secret), [.. command.Roles.Distinct()], [.. command.Namespaces.Distinct()],
            TokenRecord.FromApi, time.GetUtcNow(), command.Actor.Name, command.ExpiresAt);

        // On the writer, so two creations of one name cannot both pass the check.
        return await committer.ExecuteAsync(changes =>
        {
            if (tokens.All.Any(t => string.Equals(t.Name, token.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return (Outcome<CreatedToken>)new Failure(StatusCodes.Status409Conflict, "token-name-taken", "The token name is taken.",
                    $"A token named '{token.Name}' exists already; names are unique, since history and the audit log record them.");
            }

            tokens.Put(changes, token);
            return new CreatedToken(token.ToInfo(), secret);
        }, cancellationToken);
    }
}
