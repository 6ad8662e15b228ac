using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Platform.Linux;

/// <summary>
/// Interrupts a blocked <c>F_OFD_SETLKW</c> with a real-time signal sent to its thread (<c>tgkill</c>). The signal's
/// handler does nothing (it is libc's <c>getpid</c>, async-signal-safe and without effect) and is installed without
/// <c>SA_RESTART</c>, so the kernel does not restart the interrupted <c>fcntl</c>: it returns EINTR, and the waiting
/// thread ends its wait when its stop condition holds. .NET's runtime takes SIGRTMIN (thread activation) and installs
/// its own handlers with SA_RESTART; TestLocks takes SIGRTMIN+6 and only when nothing handles it yet, otherwise waits
/// are not interrupted (the engine then leaves an abandoned wait blocked until it gets the lock, and gives it back).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxWaitInterrupter : WaitInterrupter
{
    private const long SigDfl = 0;

    private static readonly Lazy<LinuxWaitInterrupter?> s_instance = new(Install);

    private readonly int _signal;
    private readonly long _gettid, _tgkill;

    private LinuxWaitInterrupter(int signal, long gettid, long tgkill)
    {
        _signal = signal;
        _gettid = gettid;
        _tgkill = tgkill;
    }

    /// <summary>The interrupter, or null when this process cannot have one (another handler owns the signal, an
    /// architecture whose system call numbers this build does not know, a libc without the calls).</summary>
    public static LinuxWaitInterrupter? Instance => s_instance.Value;

    /// <summary>The signal the waits are interrupted with.</summary>
    public int Signal => _signal;

    public override long CurrentThread() => LinuxNative.Syscall(_gettid, 0, 0, 0);

    public override bool Interrupt(long thread) => LinuxNative.Syscall(_tgkill, Environment.ProcessId, thread, _signal) == 0;

    public override void TakePending()
    {
        // The signal was queued before the interrupter said so; a pending signal is delivered on the way back from any
        // system call, and sched_yield is one that nothing interrupts.
        Thread.Yield();
    }

    private static unsafe LinuxWaitInterrupter? Install()
    {
        var (gettid, tgkill) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (186L, 234L),
            Architecture.Arm64 => (178L, 131L),
            _ => (-1L, -1L),
        };
        if (gettid < 0) return null;
        try
        {
            var handler = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6", typeof(LinuxWaitInterrupter).Assembly, null), "getpid");
            var signal = LinuxNative.CurrentSigRtMin() + 6;
            // struct sigaction on x86_64 and arm64 (glibc and musl): handler at 0, sa_mask (128 bytes) at 8, sa_flags at 136,
            // sa_restorer at 144; 152 bytes. The mask blocks nothing, the flags are 0 (no SA_RESTART, no SA_SIGINFO).
            byte* old = stackalloc byte[152];
            byte* action = stackalloc byte[152];
            new Span<byte>(action, 152).Clear();
            *(nint*)action = handler;
            if (LinuxNative.Sigaction(signal, null, old) != 0) return null;
            var current = *(nint*)old;
            if (current != handler && current != SigDfl) return null; // the signal is someone else's
            if (current == SigDfl && LinuxNative.Sigaction(signal, action, null) != 0) return null;
            return new LinuxWaitInterrupter(signal, gettid, tgkill);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
