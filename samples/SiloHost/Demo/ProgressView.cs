using System.Diagnostics;

namespace SiloHost.Demo;

/// <summary>
/// Shows the demo's progress: one line updated in place on a terminal, or a plain line per change (at most one a
/// second) when the output is redirected.
/// </summary>
internal sealed class ProgressView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);

    private readonly bool _interactive = !Console.IsOutputRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Stopwatch _sincePrinted = Stopwatch.StartNew();
    private string _line = "";
    private string _printed = "";

    /// <summary>Time since the demo started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Replaces the progress line.</summary>
    public void Update(string line)
    {
        _line = $"{Elapsed.TotalSeconds,5:0.0}s  {line}";
        if (_interactive)
        {
            Console.Write("\r" + FitToWindow(_line) + "\u001b[K");
            return;
        }

        if (line != _printed && _sincePrinted.Elapsed >= PlainInterval)
        {
            Console.WriteLine(_line);
            _printed = line;
            _sincePrinted.Restart();
        }
    }

    /// <summary>Prints a message on its own line, above the progress line.</summary>
    public void Event(string message)
    {
        var text = $"{Elapsed.TotalSeconds,5:0.0}s  {message}";
        if (_interactive)
        {
            Console.Write("\r\u001b[K" + text + Environment.NewLine + FitToWindow(_line));
            return;
        }

        Console.WriteLine(text);
    }

    /// <summary>Cuts a line to the terminal width, because a wrapped line cannot be overwritten in place.</summary>
    private static string FitToWindow(string line)
    {
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            return line;
        }

        return width > 20 && line.Length >= width ? line[..(width - 1)] : line;
    }

    /// <summary>Ends the progress line.</summary>
    public void Complete()
    {
        if (_interactive)
        {
            Console.WriteLine();
        }
        else if (_line.Length > 0)
        {
            Console.WriteLine(_line);
        }
    }
}
