using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Security;

/// <summary>Revokes (deletes) a token created through the API; configured tokens change only in configuration.</summary>
internal sealed record RevokeTokenCommand(string Id, Actor Actor) : ICommand<Outcome<bool>>;

internal sealed class RevokeTokenValidator : AbstractValidator<RevokeTokenCommand>
{
    public RevokeTokenValidator()
    {
        RuleFor(c => c.Id).NotEmpty().MaximumLength(128);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class RevokeTokenHandler(TokenTable tokens, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<RevokeTokenCommand, Outcome<bool>>
{
    public async ValueTask<Outcome<bool>> Handle(RevokeTokenCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at =>
        {
            if (tokens.FindById(command.Id) is not { } token)
            {
                return new Failure(StatusCodes.Status404NotFound, "token-not-found", "The token does not exist.",
                    $"There is no token with id '{command.Id}'.");
            }

            if (token.Source == TokenRecord.FromConfig)
            {
                return new Failure(StatusCodes.Status409Conflict, "token-from-config", "The token comes from configuration.",
                    $"Token '{token.Name}' is defined in configuration (Registry:Auth:Tokens); remove it there.");
            }

            return new Proposal(at)
                .Add(new TokenRemoved(token.Id))
                .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "token.revoke", TokenRules.AllNamespaces, token.Id))
                .Then(_ => true);
        }, cancellationToken);
}
