using Orleans.Runtime;

namespace Immortals.Orleans.Storage;

/// <summary>Builds the configuration errors of the checkpoint stores and runs Orleans' own validators.</summary>
internal static class StorageOptionsValidation
{
    /// <summary>Creates the error for one invalid option.</summary>
    public static OrleansConfigurationException Invalid(
        string storeKind,
        string providerName,
        string option,
        string problem,
        Exception? cause = null) =>
        new(
            $"Checkpoint storage '{providerName}' ({storeKind}) is misconfigured: option {option} {problem}",
            cause!);

    /// <summary>
    /// Runs an Orleans validator on a nested options object and reports its failure under the option path
    /// <paramref name="option"/>.
    /// </summary>
    public static void RunNested(
        IConfigurationValidator validator,
        string storeKind,
        string providerName,
        string option,
        string clientProperty)
    {
        try
        {
            validator.ValidateConfiguration();
        }
        catch (OrleansConfigurationException exception)
        {
            // Orleans reports a missing client as "No credentials specified" and points to an obsolete method.
            var problem = exception.Message.StartsWith("No credentials", StringComparison.Ordinal)
                ? $"is not set. Set {option}.{clientProperty} to a client with an explicit endpoint."
                : $"is invalid: {exception.Message}";
            var path = exception.Message.StartsWith("No credentials", StringComparison.Ordinal)
                ? $"{option}.{clientProperty}"
                : option;
            throw Invalid(storeKind, providerName, path, problem, exception);
        }
    }
}
