using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// Writes log events to a file, one line each: the <see cref="Stopwatch.GetTimestamp"/> value, the level, the
/// category, the event id and the message. The timestamps compare with the step logs and the kill time of the
/// benchmark process, so the lines give a timeline of a recovery.
/// </summary>
internal sealed class TimelineLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;

    /// <summary>Creates or appends to the timeline at <paramref name="path"/>.</summary>
    public TimelineLoggerProvider(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new TimelineLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }

    private void Write(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var timestamp = Stopwatch.GetTimestamp();
        var text = exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{timestamp} {level} {category} {eventId.Id} {text.ReplaceLineEndings(" ")}");
        lock (_writer)
        {
            _writer.WriteLine(line);
        }
    }

    private sealed class TimelineLogger(TimelineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            provider.Write(logLevel, category, eventId, formatter(state, exception), exception);
    }
}
