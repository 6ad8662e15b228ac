#if XUNIT_V3
using LifetimeTask = System.Threading.Tasks.ValueTask;
#else
using LifetimeTask = System.Threading.Tasks.Task;
#endif

[assembly: TestLocks.Xunit.ExternalLock("inproc-assembly", Mode = TestLocks.LockMode.Read)]

namespace TestLocks.Xunit.Tests;

[ExternalLock(Name)]
public sealed class A_marked_class_holds_its_lock : IAsyncLifetime, IDisposable
{
    private const string Name = "inproc-phases";

    public A_marked_class_holds_its_lock() => Assert.True(Probe.IsHeld(Name), "not held in the constructor");

    public LifetimeTask InitializeAsync()
    {
        Assert.True(Probe.IsHeld(Name), "not held in InitializeAsync");
        return LifetimeTask.CompletedTask;
    }

    public LifetimeTask DisposeAsync()
    {
        Assert.True(Probe.IsHeld(Name), "not held in DisposeAsync");
        Dispose(); // xUnit v3 calls only DisposeAsync when a class has both (v2 calls both)
        return LifetimeTask.CompletedTask;
    }

    public void Dispose() => Assert.True(Probe.IsHeld(Name), "not held in Dispose");

    [Fact]
    public void in_the_constructor_InitializeAsync_the_test_DisposeAsync_and_Dispose() => Assert.True(Probe.IsHeld(Name));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void in_each_theory_row(int row) => Assert.True(Probe.IsHeld(Name), $"not held in row {row}");

    [Fact]
    public void together_with_the_assembly_level_lock() => Assert.True(Probe.IsHeld("inproc-assembly"));
}

public sealed class A_marked_test_method
{
    [Fact, ExternalLock("inproc-b", "inproc-a")]
    public void holds_every_name_it_lists()
    {
        Assert.True(Probe.IsHeld("inproc-a"));
        Assert.True(Probe.IsHeld("inproc-b"));
    }

    [Fact, ExternalLock("inproc-prefixed", Prefix = "tempest-")]
    public void holds_its_name_with_the_prefix_it_gives()
    {
        Assert.True(Probe.IsHeld("inproc-prefixed", prefix: "tempest-"));
        Assert.True(Probe.IsFree("inproc-prefixed", prefix: ""));
    }

    [Fact]
    public void an_unmarked_test_holds_no_named_lock() => Assert.True(Probe.IsFree("inproc-a"));

    [Fact, ExternalLock("inproc-reader", Mode = LockMode.Read)]
    public void a_reader_shares_its_lock_with_readers_but_not_with_writers()
    {
        Assert.True(Probe.IsFree("inproc-reader", LockMode.Read));
        Assert.True(Probe.IsHeld("inproc-reader", LockMode.Write));
    }

    [Fact, ExternalLock("inproc-assembly")]
    public void a_name_asked_for_reading_on_the_assembly_and_writing_on_the_method_is_held_for_writing() =>
        Assert.True(Probe.IsHeld("inproc-assembly", LockMode.Read));
}

public sealed class The_serial_lock
{
    [Fact, Serial]
    public void a_serial_test_holds_its_write_side() => Assert.True(Probe.IsHeld(Adapters.LockRequest.SerialLockName, LockMode.Read));

    [Fact]
    public void an_unmarked_test_holds_its_read_side()
    {
        Assert.True(Probe.IsFree(Adapters.LockRequest.SerialLockName, LockMode.Read));
        Assert.True(Probe.IsHeld(Adapters.LockRequest.SerialLockName, LockMode.Write));
    }
}
