using Orleans;

namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>Checks <see cref="LocalDirectoryImmortalStorageOptions"/> at silo start.</summary>
internal sealed class LocalDirectoryImmortalStorageOptionsValidator(
    LocalDirectoryImmortalStorageOptions options,
    string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        const string kind = LocalDirectoryCheckpointStorage.StoreKind;
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                nameof(options.Path),
                "is not set. Set it to the directory that keeps the checkpoint files.");
        }

        if (options.Path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                nameof(options.Path),
                $"'{options.Path}' contains characters that are invalid in a path.");
        }

        if (File.Exists(options.Path))
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                nameof(options.Path),
                $"'{options.Path}' is a file; it must be a directory or not exist yet.");
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                nameof(options.LockTimeout),
                $"is {options.LockTimeout}; it must be positive.");
        }
    }
}
