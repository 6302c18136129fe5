using SiloHost.Demo;
using SiloHost.Hosting;

// The same executable runs the crash demo (the default) and the silos that the demo starts.
return args switch
{
    ["silo", "--help" or "-h"] => PrintUsage(SampleCommandLine.Usage),
    ["silo", .. var siloArgs] => await SiloProgram.RunAsync(siloArgs),
    ["--help" or "-h" or "help", ..] => PrintUsage(DemoProgramUsage()),
    ["demo", .. var demoArgs] => await DemoProgram.RunAsync(demoArgs),
    _ => await DemoProgram.RunAsync(args),
};

static int PrintUsage(string usage)
{
    Console.WriteLine(usage);
    return 0;
}

static string DemoProgramUsage() => DemoProgram.Usage;
