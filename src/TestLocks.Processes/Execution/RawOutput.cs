namespace TestLocks.Processes.Execution;

/// <summary>What one attempt produced, before its exit code is checked.</summary>
internal sealed record RawOutput(int ExitCode, ReadOnlyMemory<byte> StandardOutput, ReadOnlyMemory<byte> StandardError, TimeSpan Elapsed);
