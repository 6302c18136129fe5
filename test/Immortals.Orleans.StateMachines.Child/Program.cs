using Immortals.Orleans.StateMachines.Harness;

// Usage: Immortals.Orleans.StateMachines.Child CHECKPOINT_FILE
// Rebuilds the frames saved in CHECKPOINT_FILE on a fresh owner, completes the remaining calls and prints the
// outcome (results and journal) to standard output. Exits with 1 and prints the error when the rebuild fails.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Immortals.Orleans.StateMachines.Child CHECKPOINT_FILE");
    return 2;
}

try
{
    var driver = new ScenarioDriver(HarnessSerializer.Create());
    var checkpoint = driver.Load(File.ReadAllBytes(args[0]));
    var outcome = driver.Resume(checkpoint);
    Console.WriteLine(outcome.Describe());
    return 0;
}
catch (Exception error)
{
    Console.Error.WriteLine(error);
    return 1;
}
