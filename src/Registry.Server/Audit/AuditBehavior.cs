using Mediator;

namespace Registry.Server.Audit;

/// <summary>Records every audited command that succeeded, before its response goes out.</summary>
internal sealed class AuditBehavior<TMessage, TResponse>(AuditLog audit) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is IAuditedCommand audited && audited.Describe(response) is { } entry)
        {
            await audit.RecordAsync(entry, cancellationToken);
        }

        return response;
    }
}
