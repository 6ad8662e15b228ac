using System.Diagnostics;
using System.Runtime.InteropServices;
using TestLocks.Tool.Platform.Unix;

namespace TestLocks.Tool.Run;

/// <summary>Runs the command with the terminal and streams of testlocks, and passes signals on: SIGTERM, SIGHUP and
/// SIGQUIT always; SIGINT unless testlocks runs in the terminal's foreground, where the terminal's Ctrl+C already
/// reaches the command (it is in the same process group) and a second one would count as a double Ctrl+C.</summary>
/// <remarks>Outside a terminal's foreground (CI, scripts, a background job) the command leads a process group of its
/// own, so a lost lock stops all it started: SIGTERM to the group, SIGKILL to the group <see cref="KillAfter"/> later
/// if the command has not ended, and SIGKILL to what is left of the group as soon as it has. In a terminal's
/// foreground the command shares testlocks' group (so Ctrl+C reaches it): SIGTERM goes to the command, and its process
/// tree is killed <see cref="KillAfter"/> later. On Windows the process tree is killed at once.</remarks>
internal static class ChildProcess
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
        var foreground = !OperatingSystem.IsWindows() && UnixProcess.InTerminalForeground();
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
                        if (childPid > 0) UnixProcess.Signal(childPid, number);
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
                error.WriteLine($"testlocks run: cannot start '{command[0]}': {UnixProcess.ErrorMessage(errno)}. Check the command's name and the PATH.");
                return 127;
            }
            childPid = pid;
            if (pending != 0) UnixProcess.Signal(pid, pending);
        }
        var ended = false;
        Timer? kill = null;
        using var stop = lost.Token.Register(() =>
        {
            Say(error, $"testlocks run: lock \"{lost.Name}\" was lost while the command ran; stopping it: SIGTERM to its process group {pid}, SIGKILL in {KillAfter.TotalSeconds:0} s if it has not ended.");
            lock (gate)
            {
                if (ended) return;
                UnixProcess.SignalGroup(pid, SigTerm);
                kill = new Timer(_ =>
                {
                    lock (gate)
                    {
                        if (ended) return;
                        Say(error, $"testlocks run: the command did not end {KillAfter.TotalSeconds:0} s after SIGTERM: SIGKILL to its process group {pid}.");
                        UnixProcess.SignalGroup(pid, SigKill);
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
            if (lost.Token.IsCancellationRequested) UnixProcess.SignalGroup(pid, SigKill);
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
                if (pending != 0) UnixProcess.Signal(childPid, pending);
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
                UnixProcess.Signal(child.Id, SigTerm);
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
}
