namespace TestLocks.Platform.Unix;

/// <summary>The terminal devices of Linux and macOS.</summary>
internal static class TerminalDevice
{
    /// <summary>The controlling terminal of this process; opening it fails when the process has none (a service).</summary>
    public const string Controlling = "/dev/tty";
}
