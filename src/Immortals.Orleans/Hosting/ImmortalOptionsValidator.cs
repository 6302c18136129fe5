using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Immortals.Orleans.Hosting;

/// <summary>Checks <see cref="ImmortalOptions"/> at silo start and names the invalid option.</summary>
internal sealed class ImmortalOptionsValidator(ImmortalOptions options, IServiceProvider services)
    : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        RequirePositive(options.ResendDelay, nameof(ImmortalOptions.ResendDelay));
        RequirePositive(options.MaxResendDelay, nameof(ImmortalOptions.MaxResendDelay));
        RequirePositive(options.RequestResultRetention, nameof(ImmortalOptions.RequestResultRetention));
        if (options.ExpiredRequestIdRetention != Timeout.InfiniteTimeSpan)
        {
            RequirePositive(options.ExpiredRequestIdRetention, nameof(ImmortalOptions.ExpiredRequestIdRetention));
        }

        RequirePositive(options.SignalRetention, nameof(ImmortalOptions.SignalRetention));
        RequirePositive(options.StorageRetryDelay, nameof(ImmortalOptions.StorageRetryDelay));
        RequirePositive(options.RecoveryTimeout, nameof(ImmortalOptions.RecoveryTimeout));
        RequirePositive(options.RegistrySweepPeriod, nameof(ImmortalOptions.RegistrySweepPeriod));
        if (options.MaxResendDelay < options.ResendDelay)
        {
            throw Invalid(nameof(ImmortalOptions.MaxResendDelay), $"is {options.MaxResendDelay}, less than "
                + $"{nameof(ImmortalOptions.ResendDelay)} ({options.ResendDelay})");
        }

        if (options.MaxSignalsPerGrain < 1)
        {
            throw Invalid(nameof(ImmortalOptions.MaxSignalsPerGrain), $"is {options.MaxSignalsPerGrain}; use 1 or more");
        }

        if (options.MaxSignalBytes < 1)
        {
            throw Invalid(nameof(ImmortalOptions.MaxSignalBytes), $"is {options.MaxSignalBytes}; use 1 or more");
        }

        if (options.RegistryShards is < 1 or > 1024)
        {
            throw Invalid(nameof(ImmortalOptions.RegistryShards), $"is {options.RegistryShards}; use 1 to 1024");
        }

        var storageName = options.StorageName ?? ImmortalOptions.DefaultStorageName;
        if (services.GetKeyedService<IGrainStorage>(storageName) is null)
        {
            throw Invalid(nameof(ImmortalOptions.StorageName), $"names the grain storage provider '{storageName}', "
                + "which is not registered; add it (for example with AddAzureTableImmortalStorage) or leave the "
                + "option unset to use the local directory store");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(name, $"is {value}; it must be positive");
        }
    }

    private static OrleansConfigurationException Invalid(string option, string problem) =>
        new($"Invalid immortal grain option {nameof(ImmortalOptions)}.{option}: it {problem}.");
}
