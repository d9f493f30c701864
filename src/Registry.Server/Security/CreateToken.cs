using FluentValidation;
using Mediator;
using Registry.Contracts.Admin;
using Registry.Server.Audit;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Security;

/// <summary>Creates a token; its secret is returned this once and only its hash is kept.</summary>
internal sealed record CreateTokenCommand(
    string? Name, List<string> Roles, List<string> Namespaces, DateTimeOffset? ExpiresAt, Actor Actor)
    : ICommand<CreatedToken>, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is CreatedToken created
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
    : ICommandHandler<CreateTokenCommand, CreatedToken>
{
    public async ValueTask<CreatedToken> Handle(CreateTokenCommand command, CancellationToken cancellationToken)
    {
        var secret = TokenSecrets.Generate();
        var token = new TokenRecord(
            TokenIds.New(), command.Name!, TokenSecrets.Hash(secret), [.. command.Roles.Distinct()], [.. command.Namespaces.Distinct()],
            TokenRecord.FromApi, time.GetUtcNow(), command.Actor.Name, command.ExpiresAt);
        await committer.ExecuteAsync(changes =>
        {
            tokens.Put(changes, token);
            return true;
        }, cancellationToken);
        return new CreatedToken(token.ToInfo(), secret);
    }
}
