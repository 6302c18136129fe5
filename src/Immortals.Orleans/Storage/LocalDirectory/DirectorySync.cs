using System.Runtime.InteropServices;

namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>
/// Flushes a directory's entries to disk, so a rename or delete inside it survives a power failure.
/// </summary>
/// <remarks>
/// .NET has no API for this: <see cref="FileStream"/> refuses to open a directory. On Linux and macOS this calls
/// <c>open</c> and <c>fsync</c> on the directory. Windows cannot open a directory for flushing, and NTFS journals
/// renames, so there it does nothing.
/// </remarks>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int InvalidArgument = 22;

    /// <summary>Flushes the directory.</summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException(
                $"Failed to open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            // Some file systems reject fsync on directories with EINVAL; they have nothing to flush.
            if (FileSync(descriptor) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != InvalidArgument)
            {
                throw new IOException($"Failed to flush directory {directory} (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FileSync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
