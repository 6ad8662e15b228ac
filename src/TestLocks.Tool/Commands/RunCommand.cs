using TestLocks.Adapters;
using TestLocks.Tool.Run;

namespace TestLocks.Tool.Commands;

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

    /// <summary>The variable that tells the command what it holds of <paramref name="name"/>: TESTLOCKS_LEASE_DATABASE,
    /// TESTLOCKS_SLOT_CLOUD_QUOTA (letters and digits upper-cased, anything else "_").</summary>
    public static string Variable(string kind, string name) =>
        $"TESTLOCKS_{kind}_" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    public static int Run(RunRequest request, TextWriter error)
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
            var options = new LockSetOptions
            {
                Owner = $"testlocks run {label}",
                OnWaiting = notice => { lock (error) error.WriteLine(WaitLine.For(label, notice)); }, // a test's wait lines, word for word
                Timeout = timeout,
            };
            // The same path a test's locks take: plain locks, counted locks and leases in one order (so two runs never deadlock on a pair).
            var mode = request.Read ? LockMode.Read : LockMode.Write;
            var requests = request.Locks.Select(n => new LockRequest(n, mode: mode) { Slots = request.Slots })
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
            error.WriteLine($"testlocks run: {ErrorText.Of(e)}");
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
