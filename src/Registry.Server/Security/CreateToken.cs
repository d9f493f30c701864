using FluentValidation;
using Mediator;
using Registry.Contracts.Admin;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Security;

/// <summary>
/// Creates a token; its secret is returned this once and only its hash is kept. Names are unique: history and
/// the audit log record who acted by the token's name.
/// </summary>
internal sealed record CreateTokenCommand(
    string? Name, List<string> Roles, List<string> Namespaces, DateTimeOffset? ExpiresAt, Actor Actor)
    : ICommand<Outcome<CreatedToken>>;

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

internal sealed class CreateTokenHandler(TokenTable tokens, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<CreateTokenCommand, Outcome<CreatedToken>>
{
    public async ValueTask<Outcome<CreatedToken>> Handle(CreateTokenCommand command, CancellationToken cancellationToken)
    {
        var secret = TokenSecrets.Generate();
        var now = time.GetUtcNow();
        var token = new TokenRecord(
            TokenIds.New(), command.Name!, TokenSecrets.Hash(secret), [.. command.Roles.Distinct()], [.. command.Namespaces.Distinct()],
            TokenRecord.FromApi, now, command.Actor.Name, command.ExpiresAt);
        return await writer.WriteAsync(at =>
        {
            if (tokens.FindByName(token.Name) is not null)
            {
                return new Failure(StatusCodes.Status409Conflict, "token-name-taken", "The token name is taken.",
                    $"A token named '{token.Name}' exists already; names are unique, since history and the audit log record them.");
            }

            // Read as absent: no other creation of the name may come first.
            return new Proposal(at)
                .Read(TokenChanges.Name(token.Name))
                .Add(new TokenPut(token))
                .Audited(TokenAudit.Created(now, command.Actor, token))
                .Then(_ => new CreatedToken(token.ToInfo(), secret));
        }, cancellationToken);
    }
}

internal static class TokenAudit
{
    public static AuditNote Created(DateTimeOffset time, Actor actor, TokenRecord token, string? why = null) => AuditNote.Change(
        time, actor, "token.create", TokenRules.AllNamespaces, token.Id,
        $"{token.Name}: {string.Join(",", token.Roles)} in {string.Join(",", token.Namespaces)}{why}");
}
