using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using TestLocks.NUnit.Scheduling;
using TestLocks.NUnit.Timing;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// The command NUnit runs around SetUp, the test and TearDown of a test that carries TestLocks attributes: it takes
/// the locks of every level, runs the test, and releases them, also when SetUp, the test or TearDown fails. The wait is
/// not the test's time: [CancelAfter] does not end it (lock_timeout does), and restarts once the locks are held. When one
/// level carries several attributes NUnit nests one wrapper per attribute; the outermost takes the locks and the
/// others only run what they wrap.
/// </summary>
internal sealed class LockedTestCommand : DelegatingTestCommand
{
    private LockedTestCommand(TestCommand innerCommand) : base(innerCommand)
    {
    }

    public static TestCommand Wrap(TestCommand command) => command is LockedTestCommand ? command : new LockedTestCommand(command);

    public override TestResult Execute(TestExecutionContext context)
    {
        if (Adapters.LockedTest.IsStartedInThisFlow(Test.Id)) return innerCommand.Execute(context); // an outer wrapper locks it

        // While the test waits for a lock, its worker's parallel slot serves other tests (WorkerSlot).
        WorkerSlot.Seat? seat;
        try
        {
            seat = WorkerSlot.SeatOrExplain(context);
        }
        catch (TestLocksException e)
        {
            context.CurrentResult.RecordException(e); // an NUnit whose internals differ: said at once, never a hang
            return context.CurrentResult;
        }
        var outerSlot = Adapters.RunnerSlot.Current;
        Adapters.RunnerSlot.Current = seat;
        try
        {
            return ExecuteLocked(context);
        }
        finally
        {
            seat?.End(context);
            Adapters.RunnerSlot.Current = outerSlot;
        }
    }

    private TestResult ExecuteLocked(TestExecutionContext context)
    {
        // The locks belong to the test while it runs (re-entry is refused however the body asks again).
        var locked = ScopeLocks.StartTest(Test);
        try
        {
            // Not the [CancelAfter] token: the wait is not the test's time (lock_timeout bounds it).
            locked.Acquire(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Timeout, cancellation, configuration or lock_path errors (the test has ended): it fails with the core's message.
            context.CurrentResult.RecordException(e);
            return context.CurrentResult;
        }

        var ownTime = locked.WaitSummary is not null ? OwnTime.Restart(Test, context) : null;
        var loss = LossCancellation.Link(locked.Handles, context);
        try
        {
            return innerCommand.Execute(context);
        }
        catch (OperationCanceledException e) when (ownTime is { Expired: true })
        {
            context.CurrentResult.RecordException(e); // "Test exceeded CancelAfter value", while the test's own clock is current
            return context.CurrentResult;
        }
        catch (OperationCanceledException) when (loss is { Lost: true })
        {
            return context.CurrentResult; // the release below fails the test with LockLostException
        }
        finally
        {
            loss?.Dispose();
            ownTime?.Dispose();
            try
            {
                locked.Dispose();
            }
            catch (LockLostException e)
            {
                // A lock lost while the test ran: its work was not protected, so the test itself fails with it.
                context.CurrentResult.RecordException(e);
            }
            catch (Exception e)
            {
                context.CurrentResult.RecordTearDownException(e);
            }
        }
    }
}
