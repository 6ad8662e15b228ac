using System.Runtime.InteropServices;

namespace TestLocks.Platform.Linux;

/// <summary>The kernel's clock tick rate (<c>sysconf(_SC_CLK_TCK)</c>), the unit of CPU times in /proc/PID/stat.</summary>
internal static partial class ClockTicks
{
    private const int ScClkTck = 2;

    public static readonly double PerSecond = Read();

    private static double Read()
    {
        try
        {
            var ticks = Sysconf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100; // USER_HZ on every Linux architecture .NET runs on
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long Sysconf(int name);
}
