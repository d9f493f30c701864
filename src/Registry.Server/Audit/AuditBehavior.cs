using Mediator;

namespace Registry.Server.Audit;

/// <summary>Records every audited command that succeeded, before its response goes out.</summary>
internal sealed class AuditBehavior<TMessage, TResponse>(AuditLog audit) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        message is IAuditedCommand audited
            ? HandleAudited(audited, next(message, cancellationToken), cancellationToken)
            : next(message, cancellationToken);

    private async ValueTask<TResponse> HandleAudited(IAuditedCommand audited, ValueTask<TResponse> handled, CancellationToken cancellationToken)
    {
        var response = await handled;
        if (audited.Describe(response) is { } entry)
        {
            await audit.RecordAsync(entry, cancellationToken);
        }

        return response;
    }
}
