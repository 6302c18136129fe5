using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>Appends log lines of every silo to one file, for reading a failed test's history.</summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private static readonly object Gate = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(path, categoryName);

    /// <summary>Appends a line to the file named by IMMORTALS_TEST_LOG, when set.</summary>
    public static void Append(string line)
    {
        var path = Environment.GetEnvironmentVariable("IMMORTALS_TEST_LOG");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
        }
    }

    public void Dispose()
    {
    }

    private sealed class FileLogger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}"
                + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message);
            lock (Gate)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
