namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>
/// An exclusive lock on a lock file, shared by every process on the machine that opens the same path.
/// </summary>
/// <remarks>
/// The lock is a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>. On Linux and macOS, .NET
/// (checked on .NET 10) takes an advisory <c>flock(LOCK_EX)</c> lock on such a handle, so a second handle fails to
/// open until the first is closed, in this process or another one, and the kernel releases the lock when its
/// process dies. On Windows the sharing mode itself excludes other handles.
/// NOTE: setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns this lock off, and <c>flock</c> is not reliable on
/// network file systems; use the directory store only on a local disk.
/// </remarks>
internal sealed class CheckpointFileLock : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(100);

    // HResult of the IOException that .NET 10 raises when the file is locked: the errno EWOULDBLOCK from flock on
    // Unix (11 on Linux, 35 on macOS and FreeBSD), and ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows.
    // NOTE: only the Linux value was measured; the macOS and Windows values come from their error code tables.
    private const int LinuxWouldBlock = 11;
    private const int BsdWouldBlock = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    private readonly FileStream _stream;

    private CheckpointFileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>
    /// Opens the lock file exclusively, retrying while another handle has it locked, and returns null when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public static async Task<CheckpointFileLock?> TryAcquireAsync(
        string path,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = FirstRetryDelay;
        while (true)
        {
            if (TryOpen(path) is { } stream)
            {
                return new CheckpointFileLock(stream);
            }

            if (timeProvider.GetElapsedTime(started) >= timeout)
            {
                return null;
            }

            await Task.Delay(delay, timeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>
    /// Opens the lock file exclusively, or returns null when another handle has it locked. Other failures to open
    /// it, such as a full disk, are raised.
    /// </summary>
    public static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException exception) when (IsLockedByOtherHandle(exception))
        {
            return null;
        }
    }

    private static bool IsLockedByOtherHandle(IOException exception)
    {
        if (OperatingSystem.IsWindows())
        {
            return exception.HResult is WindowsSharingViolation or WindowsLockViolation;
        }

        var wouldBlock = OperatingSystem.IsLinux() ? LinuxWouldBlock : BsdWouldBlock;
        return exception.HResult == wouldBlock;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
