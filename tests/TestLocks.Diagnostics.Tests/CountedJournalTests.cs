using System.Diagnostics;
using System.Text.Json;

namespace TestLocks.Diagnostics.Tests;

/// <summary>A counted acquire that waits is one wait in the journal, however many slots it waited on: from the start of
/// the acquire (its queue included) to the slot it got, then that slot's hold; a test's wait counts all of it.</summary>
public sealed class CountedJournalTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_counted_wait_on_every_slot_is_one_wait_then_the_hold_of_the_slot_it_got()
    {
        using var dir = new LockDir();
        var events = Directory.CreateTempSubdirectory("testlocks-events-").FullName;
        var factory = new LockFactory(dir.Settings with { EventsPath = events });
        var name = LockDir.UniqueName("quota");
        var env = dir.Environment();
        await using var first = HelperProcess.StartHelper(env, "slot", name, "3", "Quota.first");
        await first.WaitForLineAsync("HELD", Token);
        await using var second = HelperProcess.StartHelper(env, "slot", name, "3", "Quota.second");
        await second.WaitForLineAsync("HELD", Token);
        await using var third = HelperProcess.StartHelper(env, "slot", name, "3", "Quota.third");
        var thirdSlot = (await third.WaitForLineAsync("HELD", Token)).Split(' ')[1];

        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counted = factory.CreateSemaphore(name, 3, new LockOptions { Owner = "Quota.waiter", OnWaiting = _ => waiting.TrySetResult() });
        var started = Stopwatch.GetTimestamp();
        var acquiring = counted.AcquireAsync(cancellationToken: Token).AsTask();
        var called = Stopwatch.GetTimestamp(); // the acquire took its start before it returned
        await waiting.Task.WaitAsync(Token);
        var releasing = Stopwatch.GetTimestamp();
        await third.SendAsync("release");
        TimeSpan total;
        await using (var handle = await acquiring)
        {
            total = Stopwatch.GetElapsedTime(started);
            Assert.Equal(thirdSlot, handle.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The test's wait (the sum of its handles' waits) is the counted wait, from the acquire's start, not the slot's
            // own part of it: at least from the call until the release was sent, at most the counted handle's (taken later).
            Assert.InRange(handle.SlotHandle.Waited, Stopwatch.GetElapsedTime(called, releasing), handle.Waited);
            Assert.InRange(handle.Waited, handle.SlotHandle.Waited, total);
        }

        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(events))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var mine = lines.Where(l => l.TryGetProperty("test", out var t) && t.GetString() == "Quota.waiter").ToList();
        var slotName = $"{name}.slot-{thirdSlot}";
        Assert.Equal(["wait", "acquire", "release"], mine.Select(l => l.GetProperty("event").GetString()));
        Assert.All(mine, l => Assert.Equal(slotName, l.GetProperty("lock").GetString()));
        var waitedFrom = mine[0].GetProperty("time").GetDateTime();
        var acquiredAt = mine[1].GetProperty("time").GetDateTime();
        // The wait line is dated back to the acquire's start, the acquire line when it is written (a moment later): between
        // them at least the wait, at most the test's whole acquire (1 ms for the journal's rounding).
        Assert.InRange((acquiredAt - waitedFrom).TotalSeconds, mine[1].GetProperty("waited").GetDouble() - 0.001, total.TotalSeconds + 0.001);
        Assert.DoesNotContain(lines, l => l.GetProperty("event").GetString() is "abandon" or "timeout");
        Assert.DoesNotContain(lines, l => l.TryGetProperty("lock", out var n) && n.GetString() == $"{name}.queue");
    }

    [Fact]
    public async Task A_counted_wait_that_times_out_is_one_timeout_of_the_counted_lock_naming_every_holder()
    {
        using var dir = new LockDir();
        var events = Directory.CreateTempSubdirectory("testlocks-events-").FullName;
        var factory = new LockFactory(dir.Settings with { EventsPath = events });
        var name = LockDir.UniqueName("quota");
        var env = dir.Environment();
        await using var first = HelperProcess.StartHelper(env, "slot", name, "2", "Quota.first");
        await first.WaitForLineAsync("HELD", Token);
        await using var second = HelperProcess.StartHelper(env, "slot", name, "2", "Quota.second");
        await second.WaitForLineAsync("HELD", Token);

        var counted = factory.CreateSemaphore(name, 2, new LockOptions { Owner = "Quota.waiter" });
        await Assert.ThrowsAsync<LockTimeoutException>(() => counted.AcquireAsync(TimeSpan.FromMilliseconds(300), Token).AsTask());

        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(events))).Select(l => JsonDocument.Parse(l).RootElement).Skip(1).ToList();
        var timeout = Assert.Single(lines);
        Assert.Equal("timeout", timeout.GetProperty("event").GetString());
        Assert.Equal(name, timeout.GetProperty("lock").GetString());
        Assert.True(timeout.GetProperty("waited").GetDouble() >= 0.3);
        Assert.Contains("Quota.first", timeout.GetProperty("holder").GetString());
        Assert.Contains("Quota.second", timeout.GetProperty("holder").GetString());
    }
}
