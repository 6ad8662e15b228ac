using TestLocks.Processes;

// Usage: TestLocks.Processes.Probe run-as-root <root helper or ""> <program> [arguments...]
// Runs the command with ExecuteOptions.RunAsRoot and prints its stdout, or "<exception type>: <message>" and exits 3.
if (args.Length < 3 || args[0] != "run-as-root")
{
    Console.Error.WriteLine("usage: TestLocks.Processes.Probe run-as-root <root helper or \"\"> <program> [arguments...]");
    return 2;
}

try
{
    var options = new ExecuteOptions { RunAsRoot = true, RootHelper = args[1].Length == 0 ? null : args[1] };
    Console.Write(ProcessUtils.Execute(args[2..], options).StandardOutput);
    return 0;
}
catch (Exception exception) when (exception is ArgumentException or ProcessExecutionException or FileNotFoundException)
{
    Console.Write($"{exception.GetType().Name}: {exception.Message}");
    return 3;
}
