namespace TestLocks.Processes.Execution;

/// <summary>A command ready to start: the program, its arguments, and the masked line that logs and errors show.</summary>
internal sealed record PreparedCommand(string Program, IReadOnlyList<string> Arguments, string Display);
