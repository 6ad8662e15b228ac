#if XUNIT_V3
using LifetimeTask = System.Threading.Tasks.ValueTask;
#else
using LifetimeTask = System.Threading.Tasks.Task;
#endif

// Every test of the fixture assembly reads "assembly-lock"; AssemblyWriter writes it.
[assembly: TestLocks.Xunit.ExternalLock("assembly-lock", Mode = TestLocks.LockMode.Read)]

namespace Fx.Phases;

[ExternalLock("phases")]
public sealed class AsyncLifetimePhases() : JournaledTest("phases"), IAsyncLifetime
{
    public LifetimeTask InitializeAsync()
    {
        Log("InitializeAsync");
        return LifetimeTask.CompletedTask;
    }

    public LifetimeTask DisposeAsync()
    {
        Log("DisposeAsync");
        return LifetimeTask.CompletedTask;
    }

    [Fact]
    public void Fact() => Log("body");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Theory(int row) => Log($"body row {row}");
}

[ExternalLock("phases")]
public sealed class DisposablePhases() : JournaledTest("phases"), IDisposable
{
    [Fact]
    public void Fact() => Log("body");

    public void Dispose() => Log("Dispose");
}
