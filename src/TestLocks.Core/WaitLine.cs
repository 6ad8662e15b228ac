using TestLocks.Diagnostics;

namespace TestLocks;

/// <summary>
/// The line a person reads for a lock wait, built here and only here: a test's live output, its result, and
/// <c>testlocks run</c> all say a wait with it. For a program of your own that takes locks with
/// <see cref="LockOptions.OnWaiting"/> and wants to say its waits the way tests do:
/// <code>OnWaiting = notice => Console.Error.WriteLine(WaitLine.For("nightly-migrate", notice))</code>
/// </summary>
public static class WaitLine
{
    /// <summary>"[TestLocks] WAITER: Waiting for lock "tempest-az" (/tmp/l/tempest-az) for 30.0s, held by pid 42 ...":
    /// <paramref name="notice"/> said for <paramref name="waiter"/> (a test's display name, or a command). Visible text only:
    /// every character a terminal would obey (ESC, a bidi override) is escaped, since a holder's record is anyone's to write.</summary>
    /// <param name="waiter">Who waits, as a person knows it: a test's display name, or a command line.</param>
    /// <param name="notice">The wait, as <see cref="LockOptions.OnWaiting"/> gave it.</param>
    /// <exception cref="ArgumentException"><paramref name="waiter"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="notice"/> is null.</exception>
    public static string For(string waiter, LockWaitNotice notice)
    {
        ArgumentException.ThrowIfNullOrEmpty(waiter);
        ArgumentNullException.ThrowIfNull(notice);
        return Printable.Line($"[TestLocks] {waiter}: {notice}");
    }
}
