using System.Diagnostics;
using System.Runtime.InteropServices;
using TestLocks.Testing;

namespace TestLocks.Tool;

/// <summary><c>testlocks run [--lock NAME]... [--slots N] [--lease POOL]... [--read] [--timeout S] [--temp-lock-path] -- COMMAND...</c>:
/// takes the locks (with --slots, a slot of each as a counted lock; with --lease, a free member of each pool, passed to the
/// command in <c>TESTLOCKS_LEASE_POOL</c>) in ordinal order (waits reported as a test's are), runs the command with them held, forwards signals to it, releases
/// the locks in reverse order, and exits with the command's exit code (128 + N when a signal N ended it). A lock lost
/// while the command runs (a server backend's connection dropped, its lease ran out) stops the command, and testlocks
/// exits with <see cref="LockLostExit"/>.</summary>
internal static class RunCommand
{
    /// <summary>The exit code when the locks could not be taken in time (EX_TEMPFAIL).</summary>
    public const int LockTimeoutExit = 75;

    /// <summary>The exit code when a lock was lost while the command ran (EX_UNAVAILABLE): the command was stopped, or
    /// ended on its own, without the lock it was promised.</summary>
    public const int LockLostExit = 69;

    /// <summary>The exit code of a configuration or usage error.</summary>
    public const int UsageExit = 2;

    public sealed record Request(string[] Locks, bool Read, double? TimeoutSeconds, bool TempLockPath, string[] Command)
    {
        /// <summary>With a value, every lock is a counted lock of this many slots.</summary>
        public int? Slots { get; init; }

        /// <summary>Pools of the settings to lease a member of.</summary>
        public string[] Leases { get; init; } = [];
    }

    /// <summary>The variable that tells the command what it holds of <paramref name="name"/>: TESTLOCKS_LEASE_DATABASE,
    /// TESTLOCKS_SLOT_CLOUD_QUOTA (letters and digits upper-cased, anything else "_").</summary>
    public static string Variable(string kind, string name) =>
        $"TESTLOCKS_{kind}_" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    public static int Run(Request request, TextWriter error)
    {
        if (request.Command.Length == 0)
        {
            error.WriteLine("testlocks run: no command; give one after --, for example: testlocks run --lock db -- ./migrate.sh");
            return UsageExit;
        }
        var label = string.Join(' ', request.Command);
        if (label.Length > 80) label = label[..77] + "...";
        LockSetHandle? held = null;
        string? tempLockPath = null;
        try
        {
            TimeSpan? timeout = null;
            if (request.TimeoutSeconds is { } seconds)
            {
                if (!(seconds >= 0) || seconds > int.MaxValue)
                {
                    error.WriteLine($"testlocks run: --timeout {seconds} is not a number of seconds; give 0 or more, for example --timeout 300.");
                    return UsageExit;
                }
                timeout = TimeSpan.FromSeconds(seconds);
            }
            if (request.Slots is not null && (request.Read || request.Locks.Length == 0))
            {
                error.WriteLine("testlocks run: --slots makes each --lock a counted lock: give at least one --lock, and not --read.");
                return UsageExit;
            }
            var factory = LockFactory.Default;
            var waiter = label;
            var options = new LockSetOptions
            {
                Owner = $"testlocks run {label}",
                OnWaiting = notice => { lock (error) error.WriteLine(WaitLine.For(waiter, notice)); }, // a test's wait lines, word for word
                Timeout = timeout,
            };
            // The same path a test's locks take: plain locks, counted locks and leases in one order (so two runs never deadlock on a pair).
            var mode = request.Read ? LockMode.Read : LockMode.Write;
            var requests = request.Locks.Select(n => new LockRequest(n, Mode: mode) { Slots = request.Slots })
                .Concat(request.Leases.Select(pool => LockRequest.Lease(pool))).ToList();
            held = LockSet.Acquire(requests, factory, options);
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (pool, member) in held.Leases) environment[Variable("LEASE", pool)] = member;
            if (request.Slots is { } slots)
            {
                foreach (var name in request.Locks.Distinct(StringComparer.Ordinal))
                {
                    // The slot held is the one whose lock is among this counted lock's slot locks.
                    var slotNames = factory.CreateSemaphore(name, slots, new LockOptions { Owner = options.Owner }).SlotNames;
                    var slot = slotNames.Select((slotName, index) => (Name: slotName, Index: index)).First(s => held.Handles.Any(h => h.Name == s.Name)).Index + 1;
                    environment[Variable("SLOT", name)] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            if (request.TempLockPath)
            {
                // oslo's lockutils-wrapper: the command gets a lock_path of its own, removed when it ends.
                tempLockPath = Directory.CreateTempSubdirectory("testlocks-run-").FullName;
                environment["OSLO_LOCK_PATH"] = tempLockPath;
                environment["TESTLOCKS_LOCK_PATH"] = tempLockPath;
            }
            // A lost lock stops the command: it must not run on without the lock it was promised.
            int exit;
            bool lostWhileRunning;
            using (var lost = new LostLockWatch(held.Handles))
            {
                exit = ChildProcess.Run(request.Command, environment, error, lost);
                lostWhileRunning = lost.Token.IsCancellationRequested;
            }
            var lostAtRelease = Release(held, error);
            if (!lostWhileRunning && !lostAtRelease) return exit;
            error.WriteLine($"testlocks run: exit {LockLostExit}: a lock was lost while the command ran (the command's own exit status was {exit}).");
            return LockLostExit;
        }
        catch (LockTimeoutException e)
        {
            error.WriteLine($"testlocks run: {e.Message}");
            return LockTimeoutExit;
        }
        catch (TestLocksException e)
        {
            error.WriteLine($"testlocks run: {e.Message}");
            return UsageExit;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"testlocks run: {e.Message}");
            return UsageExit;
        }
        finally
        {
            if (held is not null) Release(held, error);
            if (tempLockPath is not null)
            {
                try { Directory.Delete(tempLockPath, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    /// <summary>Releases the locks in reverse order, each on its own so that every failure is said (once: a released
    /// lock is not released again); whether one was found lost.</summary>
    private static bool Release(LockSetHandle held, TextWriter error)
    {
        var lost = false;
        var handles = held.Handles;
        for (var i = handles.Count - 1; i >= 0; i--)
        {
            try
            {
                handles[i].Dispose();
            }
            catch (LockLostException e)
            {
                error.WriteLine($"testlocks run: {e.Message}");
                lost = true;
            }
            catch (TestLocksException e)
            {
                error.WriteLine($"testlocks run: releasing {handles[i].Name} failed: {e.Message}");
            }
        }
        held.Dispose(); // every lock is released above: this only ends the set
        return lost;
    }
}

/// <summary>Runs the command with the terminal and streams of testlocks, and passes signals on: SIGTERM, SIGHUP and
/// SIGQUIT always; SIGINT unless testlocks runs in the terminal's foreground, where the terminal's Ctrl+C already
/// reaches the command (it is in the same process group) and a second one would count as a double Ctrl+C.</summary>
/// <remarks>Outside a terminal's foreground (CI, scripts, a background job) the command leads a process group of its
/// own, so a lost lock stops all it started: SIGTERM to the group, SIGKILL to the group <see cref="KillAfter"/> later
/// if the command has not ended, and SIGKILL to what is left of the group as soon as it has. In a terminal's
/// foreground the command shares testlocks' group (so Ctrl+C reaches it): SIGTERM goes to the command, and its process
/// tree is killed <see cref="KillAfter"/> later. On Windows the process tree is killed at once.</remarks>
internal static partial class ChildProcess
{
    /// <summary>How long a command stopped for a lost lock has between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(10);

    private const int SigTerm = 15;
    private const int SigKill = 9;

    public static int Run(string[] command, Dictionary<string, string> environment, TextWriter error, LostLockWatch lost)
    {
        // Signals are caught before the command starts, so one that comes while it starts is not lost (nor ends
        // testlocks and orphans the command): it is passed on once the command has a pid.
        var childPid = 0;
        var pending = 0;
        var gate = new object();
        var registrations = new List<PosixSignalRegistration>();
        var foreground = !OperatingSystem.IsWindows() && InTerminalForeground();
        if (!OperatingSystem.IsWindows())
        {
            foreach (var (signal, number) in new[] { (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), (PosixSignal.SIGQUIT, 3), (PosixSignal.SIGINT, 2) })
            {
                var forward = !(foreground && signal is PosixSignal.SIGINT or PosixSignal.SIGQUIT);
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true; // testlocks stays until its command ends, then releases the locks
                    if (!forward) return;
                    lock (gate)
                    {
                        if (childPid > 0) _ = Kill(childPid, number);
                        else pending = number;
                    }
                }));
            }
        }
        try
        {
            return OperatingSystem.IsWindows() || foreground
                ? RunInOurGroup(command, environment, error, lost, gate, ref childPid, ref pending)
                : RunAsGroupLeader(command, environment, error, lost, gate, ref childPid, ref pending);
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }

    private static int RunAsGroupLeader(string[] command, Dictionary<string, string> environment, TextWriter error, LostLockWatch lost, object gate, ref int childPid, ref int pending)
    {
        int pid;
        lock (gate)
        {
            pid = GroupLeader.Start(command, environment, out var errno);
            if (pid == 0)
            {
                error.WriteLine($"testlocks run: cannot start '{command[0]}': {Marshal.GetPInvokeErrorMessage(errno)}. Check the command's name and the PATH.");
                return 127;
            }
            childPid = pid;
            if (pending != 0) _ = Kill(pid, pending);
        }
        var ended = false;
        Timer? kill = null;
        using var stop = lost.Token.Register(() =>
        {
            Say(error, $"testlocks run: lock \"{lost.Name}\" was lost while the command ran; stopping it: SIGTERM to its process group {pid}, SIGKILL in {KillAfter.TotalSeconds:0} s if it has not ended.");
            lock (gate)
            {
                if (ended) return;
                GroupLeader.SignalGroup(pid, SigTerm);
                kill = new Timer(_ =>
                {
                    lock (gate)
                    {
                        if (ended) return;
                        Say(error, $"testlocks run: the command did not end {KillAfter.TotalSeconds:0} s after SIGTERM: SIGKILL to its process group {pid}.");
                        GroupLeader.SignalGroup(pid, SigKill);
                    }
                }, null, KillAfter, Timeout.InfiniteTimeSpan);
            }
        });
        var status = GroupLeader.Wait(pid);
        if (status is not { } exit)
        {
            Say(error, $"testlocks run: the exit status of '{command[0]}' (pid {pid}) is unknown: the system reaped it (SIGCHLD is ignored; start testlocks with SIGCHLD at its default).");
            exit = 1;
        }
        lock (gate)
        {
            ended = true;
            kill?.Dispose();
            // The lock is gone: nothing the command started may run on. (Its group id stays reserved while any member lives.)
            if (lost.Token.IsCancellationRequested) GroupLeader.SignalGroup(pid, SigKill);
        }
        return exit;
    }

    private static int RunInOurGroup(string[] command, Dictionary<string, string> environment, TextWriter error, LostLockWatch lost, object gate, ref int childPid, ref int pending)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        Process child;
        try
        {
            child = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error.WriteLine($"testlocks run: cannot start '{command[0]}': {e.Message}. Check the command's name and the PATH.");
            return 127;
        }
        using (child)
        {
            lock (gate)
            {
                childPid = child.Id;
                if (pending != 0) _ = Kill(childPid, pending);
            }
            Timer? kill = null;
            using var stop = lost.Token.Register(() =>
            {
                if (OperatingSystem.IsWindows())
                {
                    Say(error, $"testlocks run: lock \"{lost.Name}\" was lost while the command ran; killing its process tree.");
                    KillTree(child);
                    return;
                }
                Say(error, $"testlocks run: lock \"{lost.Name}\" was lost while the command ran; stopping it: SIGTERM to process {child.Id}, its process tree killed in {KillAfter.TotalSeconds:0} s if it has not ended.");
                _ = Kill(child.Id, SigTerm);
                kill = new Timer(_ => KillTree(child), null, KillAfter, Timeout.InfiniteTimeSpan);
            });
            child.WaitForExit();
            kill?.Dispose();
            return child.ExitCode;
        }
    }

    private static void KillTree(Process child)
    {
        try { child.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { } // already ended
    }

    private static void Say(TextWriter error, string line)
    {
        lock (error) error.WriteLine(line);
    }

    /// <summary>Whether this process's group is the foreground group of the terminal on stdin.</summary>
    private static bool InTerminalForeground()
    {
        try
        {
            if (!Console.IsInputRedirected)
            {
                var foreground = Tcgetpgrp(0);
                return foreground > 0 && foreground == Getpgrp();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return false;
    }

    [LibraryImport("libc", EntryPoint = "tcgetpgrp")]
    private static partial int Tcgetpgrp(int fd);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    private static partial int Getpgrp();
}

/// <summary>Fires <see cref="Token"/> when any of the held locks is lost, and names the first one lost.</summary>
internal sealed class LostLockWatch : IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly List<CancellationTokenRegistration> _watches;
    private string? _name;

    public LostLockWatch(IEnumerable<LockHandle> handles)
    {
        Token = _lost.Token;
        _watches = handles.Select(h => h.HandleLostToken.Register(() =>
        {
            Interlocked.CompareExchange(ref _name, h.Name, null);
            _lost.Cancel();
        })).ToList();
    }

    public CancellationToken Token { get; }

    /// <summary>The lock lost first.</summary>
    public string Name => _name ?? "?";

    public void Dispose()
    {
        _watches.ForEach(w => w.Dispose());
        _lost.Dispose();
    }
}
