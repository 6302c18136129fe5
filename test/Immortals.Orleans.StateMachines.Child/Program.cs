using System.Reflection;
using Immortals.Orleans.StateMachines;
using Immortals.Orleans.StateMachines.Harness;

// Usage:
//   Immortals.Orleans.StateMachines.Child CHECKPOINT_FILE
//     Rebuilds the frames saved in CHECKPOINT_FILE on a fresh owner, completes the remaining calls and prints the
//     outcome (results and journal). Exits with 1 and prints the error when the rebuild fails.
//   Immortals.Orleans.StateMachines.Child --runtime-async ASSEMBLY_FILE
//     Loads ASSEMBLY_FILE, starts Flows.RuntimeFlow.RunAsync on a pending call, tries to capture it and to check the
//     method, and prints both errors. Run it with DOTNET_RuntimeAsync=1 so the runtime loads runtime-async methods.
if (args is ["--runtime-async", var assemblyFile])
{
    return CaptureRuntimeAsync(assemblyFile);
}

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Immortals.Orleans.StateMachines.Child CHECKPOINT_FILE | --runtime-async ASSEMBLY_FILE");
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

static int CaptureRuntimeAsync(string assemblyFile)
{
    var method = Assembly.LoadFrom(assemblyFile).GetType("Flows.RuntimeFlow", throwOnError: true)!.GetMethod("RunAsync")!;
    var call = new TaskCompletionSource<int>();
    var task = (Task)method.Invoke(null, [call.Task])!;
    try
    {
        new AsyncFrameEngine(HarnessSerializer.Create()).Capture(new FrameCaptureRequest().AddRoot(1, task));
        Console.WriteLine("capture: succeeded");
    }
    catch (FrameCaptureException error)
    {
        Console.WriteLine($"capture: {error.Failure}: {error.Message}");
    }

    try
    {
        AsyncFrameEngine.EnsureCompilerStateMachine(method);
        Console.WriteLine("method: accepted");
    }
    catch (FrameCaptureException error)
    {
        Console.WriteLine($"method: {error.Failure}: {error.Message}");
    }

    return 0;
}
