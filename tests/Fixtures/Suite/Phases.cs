// Every test of the fixture assembly reads "assembly-lock"; AssemblyWriter writes it.
[assembly: TestLocks.Xunit.ExternalLock("assembly-lock", Mode = TestLocks.LockMode.Read)]

namespace Fx.Phases;

[ExternalLock("phases")]
public sealed class AsyncLifetimePhases() : JournaledTest("phases"), IAsyncLifetime
{
#if XUNIT_V3
    public ValueTask InitializeAsync()
    {
        Log("InitializeAsync");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Log("DisposeAsync");
        return ValueTask.CompletedTask;
    }
#else
    public Task InitializeAsync()
    {
        Log("InitializeAsync");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Log("DisposeAsync");
        return Task.CompletedTask;
    }
#endif

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
