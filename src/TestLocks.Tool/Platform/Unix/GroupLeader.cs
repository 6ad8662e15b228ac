using System.Runtime.InteropServices;

namespace TestLocks.Tool.Platform.Unix;

/// <summary>
/// Starts a command as the leader of a new process group (<c>posix_spawnp</c> with <c>POSIX_SPAWN_SETPGROUP</c>), so
/// everything it starts (a shell's children, <c>dotnet test</c>'s test hosts) can be signalled at once, and waits for
/// it. The command inherits stdin, stdout, stderr and the environment (plus <c>extra</c>); SIGPIPE, which .NET
/// ignores, is back at its default for it, and its signal mask is empty.
/// </summary>
internal static partial class GroupLeader
{
    private const short SetProcessGroup = 0x02; // POSIX_SPAWN_SETPGROUP, Linux and macOS
    private const short SetSignalDefault = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const int SigPipe = 13;
    private const int Interrupted = 4; // EINTR

    /// <summary>Starts <paramref name="command"/>; returns its pid (also its process group id), or the errno why not.</summary>
    public static int Start(string[] command, IReadOnlyDictionary<string, string> extra, out int error)
    {
        KeepExitStatus();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) environment[(string)e.Key] = (string?)e.Value ?? "";
        foreach (var (k, v) in extra) environment[k] = v;
        var argv = Strings(command);
        var envp = Strings(environment.Select(e => $"{e.Key}={e.Value}").ToArray());
        var attributes = Marshal.AllocHGlobal(1024); // posix_spawnattr_t: 336 bytes on glibc, a pointer on macOS
        var signals = Marshal.AllocHGlobal(256); // sigset_t: 128 bytes on glibc
        try
        {
            Check(SpawnAttrInit(attributes));
            try
            {
                Check(SigEmptySet(signals));
                Check(SpawnAttrSetSigMask(attributes, signals));
                Check(SigAddSet(signals, SigPipe));
                Check(SpawnAttrSetSigDefault(attributes, signals));
                Check(SpawnAttrSetPgroup(attributes, 0));
                Check(SpawnAttrSetFlags(attributes, SetProcessGroup | SetSignalDefault | SetSignalMask));
                error = SpawnP(out var pid, command[0], 0, attributes, argv, envp);
                return error == 0 ? pid : 0;
            }
            finally
            {
                _ = SpawnAttrDestroy(attributes);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(signals);
            Marshal.FreeHGlobal(attributes);
            Free(argv);
            Free(envp);
        }
    }

    /// <summary>Waits for the command to end; its exit code, or 128 + N when signal N ended it; null when its status
    /// cannot be had (SIGCHLD ignored by whoever started testlocks, so the system reaped it).</summary>
    public static int? Wait(int pid)
    {
        while (true)
        {
            if (WaitPid(pid, out var status, 0) == pid)
            {
                var signal = status & 0x7f;
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
            }
            if (Marshal.GetLastPInvokeError() != Interrupted) return null;
        }
    }

    /// <summary>SIGCHLD inherited as ignored makes the system reap children at once, and their exit status is lost: set
    /// it back to its default (which ignores it too, but keeps the status for waitpid). A handler is left alone.</summary>
    private static void KeepExitStatus()
    {
        var action = Marshal.AllocHGlobal(512); // struct sigaction; its handler comes first on Linux and macOS
        try
        {
            if (SigAction(SigChld, 0, action) == 0 && Marshal.ReadIntPtr(action) == SigIgnore) _ = Signal(SigChld, SigDefault);
        }
        finally
        {
            Marshal.FreeHGlobal(action);
        }
    }

    private static int SigChld => OperatingSystem.IsMacOS() ? 20 : 17;
    private const nint SigIgnore = 1;
    private const nint SigDefault = 0;

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, nint action, nint old);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    private static void Check(int result)
    {
        if (result != 0) throw new InvalidOperationException($"posix_spawn setup failed ({result})");
    }

    private static nint Strings(string[] values)
    {
        var array = Marshal.AllocHGlobal(IntPtr.Size * (values.Length + 1));
        for (var i = 0; i < values.Length; i++) Marshal.WriteIntPtr(array, i * IntPtr.Size, Marshal.StringToCoTaskMemUTF8(values[i]));
        Marshal.WriteIntPtr(array, values.Length * IntPtr.Size, 0);
        return array;
    }

    private static void Free(nint array)
    {
        for (var i = 0; Marshal.ReadIntPtr(array, i * IntPtr.Size) is var p && p != 0; i++) Marshal.FreeCoTaskMem(p);
        Marshal.FreeHGlobal(array);
    }

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttrInit(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttrDestroy(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttrSetFlags(nint attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    private static partial int SpawnAttrSetPgroup(nint attributes, int group);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttrSetSigDefault(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttrSetSigMask(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(nint signals);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SigAddSet(nint signals, int signal);

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SpawnP(out int pid, string file, nint fileActions, nint attributes, nint argv, nint envp);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
