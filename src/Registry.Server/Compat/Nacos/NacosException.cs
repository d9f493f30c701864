using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Compat.Nacos;

/// <summary>A refusal the Nacos surface answers as Nacos does: the status, and a plain-text message.</summary>
internal sealed class NacosException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static NacosException Missing(string name) =>
        new(StatusCodes.Status400BadRequest, $"Parameter '{name}' is missing");

    public static NacosException Invalid(string name, string why) =>
        new(StatusCodes.Status400BadRequest, $"Parameter '{name}' is invalid: {why}");

    public static NacosException Forbidden(string why) => new(StatusCodes.Status403Forbidden, why);

    public static NacosException From(Failure failure) => new(failure.Status, failure.Detail);
}

internal static class NacosOutcomes
{
    /// <summary>The value, or the failure thrown as a Nacos error with its status and detail.</summary>
    public static T OrThrow<T>(this Outcome<T> outcome) =>
        outcome.Failure is { } failure ? throw NacosException.From(failure) : outcome.Value!;
}

/// <summary>
/// Speaks Nacos on errors: a <see cref="NacosException"/> becomes its status with a text body, and the
/// native validators' <see cref="ValidationException"/> a 400 naming each field and rule, so a bad value is
/// refused the same way whichever surface sends it.
/// </summary>
internal sealed class NacosErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NacosException ex)
        {
            return NacosResults.Text(ex.Message, ex.Status);
        }
        catch (ValidationException ex)
        {
            var errors = ex.Errors.Select(e => $"{Problems.MemberFieldName(e.PropertyName)}: {e.ErrorMessage}");
            return NacosResults.Text("caused: " + string.Join("; ", errors), StatusCodes.Status400BadRequest);
        }
    }
}
