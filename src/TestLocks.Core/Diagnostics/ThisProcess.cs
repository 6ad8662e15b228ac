namespace TestLocks.Diagnostics;

/// <summary>This process's identity, read once: Environment.MachineName asks the kernel (uname) on every call,
/// which would add a system call to every acquire.</summary>
internal static class ThisProcess
{
    public static readonly int Id = Environment.ProcessId;
    public static readonly string Host = Environment.MachineName;
}
