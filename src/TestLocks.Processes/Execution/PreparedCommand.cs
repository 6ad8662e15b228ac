namespace TestLocks.Processes.Execution;

/// <summary>A command ready to start: the program, its arguments, where it starts, and the masked line that logs and errors show.</summary>
internal sealed record PreparedCommand(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory, string Display);
