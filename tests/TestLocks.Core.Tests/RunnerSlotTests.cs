using TestLocks.Core.Tests.Infrastructure;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Core.Tests;

/// <summary>A test runner's parallel slot (<see cref="RunnerSlot"/>) goes back while a lock waits, and returns once the wait ends.</summary>
public sealed class RunnerSlotTests
{
    [Fact]
    public async Task A_test_gives_its_runner_slot_back_while_it_waits_for_a_lock_and_takes_it_again_however_the_wait_ends()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("slot");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);
        var slot = new RecordingSlot();
        RunnerSlot.Current = slot;

        using (dir.Factory.CreateLock(LockDir.UniqueName("free")).Acquire()) Assert.Equal("", slot.Calls); // no wait, no change
        Assert.Throws<LockTimeoutException>(() => @lock.Acquire(TimeSpan.FromMilliseconds(50)));
        Assert.Equal("leave return ", slot.Calls);
        await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken).AsTask());
        Assert.Equal("leave return leave return ", slot.Calls);

        var waiting = @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
        await slot.WaitLeftAsync(3, TestContext.Current.CancellationToken);
        Assert.Equal("leave return leave return leave ", slot.Calls); // away while it waits
        await holder.SendAsync("release");
        await using (await waiting)
        {
            Assert.Equal("leave return leave return leave return ", slot.Calls); // back before the caller goes on
        }
    }

    private sealed class RecordingSlot : RunnerSlot
    {
        private readonly System.Text.StringBuilder _calls = new();
        private int _left;
        private TaskCompletionSource _leftChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once <see cref="Leave"/> has been called <c>count</c> times.</summary>
        public async Task WaitLeftAsync(int count, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task changed;
                lock (_calls)
                {
                    if (_left >= count) return;
                    changed = _leftChanged.Task;
                }
                await changed.WaitAsync(cancellationToken);
            }
        }

        public string Calls
        {
            get { lock (_calls) return _calls.ToString(); }
        }

        public override void Leave()
        {
            TaskCompletionSource changed;
            lock (_calls)
            {
                _calls.Append("leave ");
                _left++;
                changed = _leftChanged;
                _leftChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.SetResult();
        }

        public override void Rejoin()
        {
            lock (_calls) _calls.Append("return ");
        }
    }
}
