using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TestLocks.Tool;

/// <summary><c>testlocks run [--lock NAME]... [--read] [--timeout S] [--temp-lock-path] -- COMMAND...</c>: takes the locks
/// in ordinal order (waits reported as a test's are), runs the command with them held, forwards signals to it, releases
/// the locks in reverse order, and exits with the command's exit code (128 + N when a signal N ended it).</summary>
internal static class RunCommand
{
    /// <summary>The exit code when the locks could not be taken in time (EX_TEMPFAIL).</summary>
    public const int LockTimeoutExit = 75;

    /// <summary>The exit code of a configuration or usage error.</summary>
    public const int UsageExit = 2;

    public sealed record Request(string[] Locks, bool Read, double? TimeoutSeconds, bool TempLockPath, string[] Command);

    public static int Run(Request request, TextWriter error)
    {
        if (request.Command.Length == 0)
        {
            error.WriteLine("testlocks run: no command; give one after --, for example: testlocks run --lock db -- ./migrate.sh");
            return UsageExit;
        }
        var label = string.Join(' ', request.Command);
        if (label.Length > 80) label = label[..77] + "...";
        var handles = new List<LockHandle>();
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
            var factory = LockFactory.Default;
            var options = new LockOptions
            {
                Owner = $"testlocks run {label}",
                OnWaiting = notice => { lock (error) error.WriteLine($"[TestLocks] {label}: {notice}"); },
            };
            foreach (var name in request.Locks.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var @lock = request.Read ? factory.CreateReaderWriterLock(name, options).ReadLock : factory.CreateLock(name, options);
                handles.Add(@lock.Acquire(timeout));
            }
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (request.TempLockPath)
            {
                // oslo's lockutils-wrapper: the command gets a lock_path of its own, removed when it ends.
                tempLockPath = Directory.CreateTempSubdirectory("testlocks-run-").FullName;
                environment["OSLO_LOCK_PATH"] = tempLockPath;
                environment["TESTLOCKS_LOCK_PATH"] = tempLockPath;
            }
            return ChildProcess.Run(request.Command, environment, error);
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
            for (var i = handles.Count - 1; i >= 0; i--) handles[i].Dispose();
            if (tempLockPath is not null)
            {
                try { Directory.Delete(tempLockPath, recursive: true); }
                catch (IOException) { }
            }
        }
    }
}

/// <summary>Runs the command with the terminal and streams of testlocks, and passes signals on: SIGTERM, SIGHUP and
/// SIGQUIT always; SIGINT unless testlocks runs in the terminal's foreground, where the terminal's Ctrl+C already
/// reaches the command (it is in the same process group) and a second one would count as a double Ctrl+C.</summary>
internal static partial class ChildProcess
{
    public static int Run(string[] command, Dictionary<string, string> environment, TextWriter error)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // Signals are caught before the command starts, so one that comes while it starts is not lost (nor ends
        // testlocks and orphans the command): it is passed on once the command has a pid.
        var childPid = 0;
        var pending = 0;
        var gate = new object();
        var registrations = new List<PosixSignalRegistration>();
        if (!OperatingSystem.IsWindows())
        {
            var foreground = InTerminalForeground();
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
                child.WaitForExit();
                return child.ExitCode;
            }
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
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
