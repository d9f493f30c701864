using FluentValidation;
using Mediator;

namespace Registry.Server.Infrastructure;

/// <summary>
/// The one validation step of every message: runs all of its validators and reports every failure at once
/// as a <see cref="ValidationException"/>, which <see cref="ProblemExceptionHandler"/> turns into a 400.
/// </summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = [.. validators];

    public ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length > 0)
        {
            var context = new ValidationContext<TMessage>(message);
            List<FluentValidation.Results.ValidationFailure>? failures = null;
            foreach (var validator in _validators)
            {
                if (validator.Validate(context) is { IsValid: false } result)
                {
                    (failures ??= []).AddRange(result.Errors);
                }
            }

            if (failures is not null)
            {
                throw new ValidationException(failures);
            }
        }

        return next(message, cancellationToken);
    }
}
