using System.Runtime.CompilerServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.MSTest.Scheduling;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.MSTest.Execution;

/// <summary>
/// What the hook does around one test or data row: start its <see cref="LockedTest"/> in [GlobalTestInitialize], in the
/// flow MSTest carries on into the constructor, TestInitialize, the test, TestCleanup and Dispose (so taking a held lock
/// again there fails at once), take its locks, and end it in [GlobalTestCleanup].
/// </summary>
internal static class TestLocking
{
    private static readonly ConditionalWeakTable<TestContext, Held> s_held = new();
    private static long s_tests;
    private static int s_problemSaid;

    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout.</exception>
    /// <exception cref="OperationCanceledException">The test's CancellationToken fired while waiting.</exception>
    /// <exception cref="TestLocksException">A lock name template or provider does not fit the data row.</exception>
    public static Task AcquireAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SlotInstaller.TestStarting();
        var test = TestMethods.Of(context);
        var displayName = context.TestDisplayName ?? context.TestName ?? test.Method.Name;
        var fullName = $"{test.TestClass.FullName}.{displayName}";
        // Started synchronously, before the first await: MSTest captures the execution context after
        // [GlobalTestInitialize] and runs the constructor, TestInitialize, the test, TestCleanup and Dispose in it.
        // The slot first: a lock wait anywhere in that flow gives it back, and it is taken before any lock.
        var seat = SlotInstaller.Seat(context);
        if (seat is not null) RunnerSlot.Current = seat;
        var locked = LockedTest.Start($"{Interlocked.Increment(ref s_tests)}:{fullName}", fullName,
            new TestCaseInfo(test.TestClass, test.Method, context.TestData ?? [], displayName), test.Attributes, new Channel(context));
        return AcquireCoreAsync(context, locked, seat);
    }

    public static async Task ReleaseAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!s_held.TryGetValue(context, out var held) || !s_held.Remove(context)) return;
        try
        {
            await held.Locked.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            held.Seat?.End();
        }
    }

    private static async Task AcquireCoreAsync(TestContext context, LockedTest locked, SlotSeat? seat)
    {
        if (SlotInstaller.Problem is { } problem && Interlocked.Exchange(ref s_problemSaid, 1) == 0) context.WriteLine($"[TestLocks] {problem}");
        try
        {
            if (seat is not null) await seat.EnterAsync(context.CancellationTokenSource.Token).ConfigureAwait(false);
            await locked.AcquireAsync(context.CancellationTokenSource.Token).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await locked.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                seat?.End();
            }
            throw;
        }
        s_held.AddOrUpdate(context, new Held(locked, seat));
    }

    private sealed record Held(LockedTest Locked, SlotSeat? Seat);

    /// <summary>Where MSTest puts a test's lines: its output, and a message for the runner's output device (shown live when
    /// the test application runs in a terminal, and by VSTest through MSBuild's terminal logger); the wait summary also as
    /// the result file TestLocks.wait.txt (TRX's result files). A lost lock cancels the test's CancellationToken.</summary>
    private sealed class Channel(TestContext context) : TestChannel
    {
        protected override bool ShownLiveByVsTest => true;

        protected override void WriteLine(string line)
        {
            context.WriteLine(line);
            context.DisplayMessage(MessageLevel.Informational, line);
        }

        protected override void WriteSummary(string summary)
        {
            WriteLine(summary);
            context.AddResultFile(WaitFile(summary));
        }

        protected override void CancelTest() => context.CancellationTokenSource.Cancel();
    }
}
