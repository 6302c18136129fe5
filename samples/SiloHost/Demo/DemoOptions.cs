using SiloHost.Hosting;

namespace SiloHost.Demo;

/// <summary>Options of the demo, parsed from its command line.</summary>
internal sealed class DemoOptions
{
    public const string Usage = """
        SiloHost [demo] [options]    runs the crash demo (the default)

          --storage local|azurite      local: checkpoints in a temporary directory, localhost clustering (default)
                                       azurite: starts Azurite from node_modules on 127.0.0.1; Azure Table and
                                       Blob checkpoints and Azure Table membership
          --connection-string VALUE    Azure Storage account for checkpoints and membership instead of Azurite
          --workflows N                order workflows to run (default 40)
          --shipping-seconds N         seconds the carrier takes to book a shipment (default 5)

        SiloHost silo --help           options of a single silo
        """;

    public string Storage { get; private set; } = StorageKinds.Local;

    public string? ConnectionString { get; private set; }

    public int Workflows { get; private set; } = 40;

    public double ShippingSeconds { get; private set; } = 5;

    /// <summary>Parses the options, or returns the error in <paramref name="error"/>.</summary>
    public static DemoOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new DemoOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--storage" when value is StorageKinds.Local or StorageKinds.Azurite:
                    options.Storage = value;
                    break;
                case "--connection-string" when !string.IsNullOrWhiteSpace(value):
                    options.ConnectionString = value;
                    options.Storage = StorageKinds.Azure;
                    break;
                case "--workflows" when int.TryParse(value, out var workflows) && workflows is >= 1 and <= 1000:
                    options.Workflows = workflows;
                    break;
                case "--shipping-seconds" when double.TryParse(value, out var seconds) && seconds is >= 1 and <= 25:
                    options.ShippingSeconds = seconds;
                    break;
                default:
                    error = value is null
                        ? $"Invalid option '{args[i]}'."
                        : $"Invalid option '{args[i]} {value}': see the ranges below.";
                    return null;
            }

            i++;
        }

        return options;
    }
}
