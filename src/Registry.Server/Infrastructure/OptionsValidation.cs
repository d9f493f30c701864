using FluentValidation;
using Microsoft.Extensions.Options;

namespace Registry.Server.Infrastructure;

internal static class OptionsValidation
{
    /// <summary>Binds <typeparamref name="T"/> to a section and validates it with its FluentValidation validator at start.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(provider =>
            new FluentOptionsValidator<T>(provider.GetRequiredService<IValidator<T>>(), section));
        return services;
    }

    private sealed class FluentOptionsValidator<T>(IValidator<T> validator, string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var result = validator.Validate(options);
            return result.IsValid
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(result.Errors.Select(error =>
                    $"{section}:{error.PropertyName.Replace('.', ':')}: {error.ErrorMessage}"));
        }
    }
}
