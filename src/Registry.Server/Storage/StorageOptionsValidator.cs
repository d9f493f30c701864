using FluentValidation;

namespace Registry.Server.Storage;

internal sealed class StorageOptionsValidator : AbstractValidator<StorageOptions>
{
    public StorageOptionsValidator()
    {
        RuleFor(o => o.Provider)
            .Must(p => string.Equals(p, StorageOptions.LiteDb, StringComparison.OrdinalIgnoreCase) || string.Equals(p, StorageOptions.EtcdProvider, StringComparison.OrdinalIgnoreCase))
            .WithMessage($"'{{PropertyName}}' must be '{StorageOptions.LiteDb}' or '{StorageOptions.EtcdProvider}'.");
        When(o => o.Clustered, () => RuleFor(o => o.Etcd).SetValidator(new Etcd.EtcdOptionsValidator()));
        RuleFor(o => o.Path).NotEmpty();
        RuleFor(o => o.JournalCheckpointBytes).InclusiveBetween(64 * 1024, 1024L * 1024 * 1024);
        RuleFor(o => o.MaxBatchSize).InclusiveBetween(1, 100_000);
        RuleFor(o => o.ProbeInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }
}
