using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Immortals.Orleans.Benchmarks.Reporting;

/// <summary>
/// Figures of one scenario run: Markdown tables printed at the end, and rows merged into
/// <c>bench/results/latest.json</c> under the scenario's name, leaving other scenarios' entries in place.
/// </summary>
internal sealed class ScenarioReport
{
    private readonly string _scenario;
    private readonly bool _quick;
    private readonly double? _loadAtStart = MachineLoad.OneMinute();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly List<Table> _tableList = [];
    private readonly JsonObject _notes = [];

    /// <summary>Environment variable with the id of one <c>bench/run.sh</c> invocation, shared by its scenarios.</summary>
    public const string RunIdVariable = "IMMORTALS_BENCH_RUN";

    /// <summary>The id of the <c>bench/run.sh</c> invocation this scenario runs in, or null when run alone.</summary>
    public static string? RunId => Environment.GetEnvironmentVariable(RunIdVariable);

    /// <summary>Starts the report of <paramref name="scenario"/> and prints its heading.</summary>
    public ScenarioReport(string scenario, bool quick)
    {
        _scenario = scenario;
        _quick = quick;
        Console.WriteLine($"{scenario} scenario, {(quick ? "quick" : "full")} mode");
        Console.WriteLine(
            $".NET {Environment.Version}, {Environment.ProcessorCount} logical processors, "
            + $"{RuntimeInformation.OSDescription}, load average {MachineLoad.Format(_loadAtStart)}");
    }

    /// <summary>Records a fact about the run (a setting, a version), printed and stored with the results.</summary>
    public void Note(string name, string value)
    {
        _notes[name] = value;
        Console.WriteLine($"{name}: {value}");
    }

    /// <summary>
    /// Starts a table to add rows to, with a last column for the load average when each row was measured.
    /// <see cref="Save"/> prints it as Markdown.
    /// </summary>
    public Table StartTable(string name, string title, params string[] columns)
    {
        var table = new Table(name, title, [.. columns, "load avg"]);
        _tableList.Add(table);
        return table;
    }

    /// <summary>
    /// Writes the scenario's entry into <paramref name="path"/>, keeping the entries of other scenarios.
    /// </summary>
    public void Save(string path)
    {
        var loadAtEnd = MachineLoad.OneMinute();
        foreach (var table in _tableList)
        {
            table.Print();
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {MachineLoad.Format(loadAtEnd)}");

        JsonObject root = [];
        if (File.Exists(path))
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [];
        }

        root[_scenario] = new JsonObject
        {
            ["mode"] = _quick ? "quick" : "full",
            ["run"] = RunId,
            ["startedAt"] = _startedAt.ToString("O", CultureInfo.InvariantCulture),
            ["finishedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["processors"] = Environment.ProcessorCount,
                ["dotnet"] = Environment.Version.ToString(),
                ["os"] = RuntimeInformation.OSDescription,
                ["loadAverageAtStart"] = _loadAtStart,
                ["loadAverageAtEnd"] = loadAtEnd,
            },
            ["notes"] = _notes.DeepClone(),
            ["tables"] = new JsonObject(_tableList.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)t.ToJson()))),
        };

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new JsonSerializerOptions { WriteIndented = true };
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(path, root.ToJsonString(options) + "\n", utf8);
        Console.WriteLine($"results written to {path}");
    }

    /// <summary>
    /// One table of a report. Each row is printed as a progress line when added, and the whole table as Markdown
    /// when the report is saved.
    /// </summary>
    internal sealed class Table(string name, string title, string[] columns)
    {
        private readonly List<object?[]> _rows = [];

        /// <summary>Key of the table in the JSON file.</summary>
        public string Name => name;

        /// <summary>
        /// Adds a row with one value per column but the last, which takes the 1-minute load average now.
        /// Numbers are stored as numbers.
        /// </summary>
        public void Add(params object?[] values)
        {
            values = [.. values, MachineLoad.OneMinute()];
            if (values.Length != columns.Length)
            {
                throw new ArgumentException(
                    $"The row has {values.Length} values but the table has {columns.Length} columns.",
                    nameof(values));
            }

            _rows.Add(values);
            Console.WriteLine(
                $"{name}: " + string.Join(", ", columns.Zip(values, (column, value) => $"{column} {FormatCell(value)}")));
        }

        /// <summary>Prints the title and the rows as a Markdown table.</summary>
        public void Print()
        {
            Console.WriteLine();
            Console.WriteLine(title);
            Console.WriteLine();
            Console.WriteLine("| " + string.Join(" | ", columns) + " |");
            Console.WriteLine("|" + string.Concat(columns.Select(_ => " ---: |")));
            foreach (var row in _rows)
            {
                Console.WriteLine("| " + string.Join(" | ", row.Select(FormatCell)) + " |");
            }
        }

        /// <summary>Returns the rows as JSON objects keyed by column.</summary>
        public JsonArray ToJson()
        {
            var array = new JsonArray();
            foreach (var values in _rows)
            {
                var row = new JsonObject();
                for (var i = 0; i < columns.Length; i++)
                {
                    row[columns[i]] = values[i] switch
                    {
                        null => null,
                        double number => Math.Round(number, 2),
                        int number => number,
                        long number => number,
                        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                    };
                }

                array.Add(row);
            }

            return array;
        }

        private static string FormatCell(object? value) => value switch
        {
            null => "n/a",
            double number => number.ToString(DecimalsFor(number), CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        /// <summary>Returns the format of a number with about three significant digits.</summary>
        private static string DecimalsFor(double number)
        {
            if (number >= 100)
            {
                return "F0";
            }

            return number >= 1 ? "F1" : "F2";
        }
    }
}
