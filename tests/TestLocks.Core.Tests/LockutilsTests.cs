using TestLocks.Core.Tests.Infrastructure;
using TestLocks.Fixtures;
using TestLocks.Oslo;

namespace TestLocks.Core.Tests;

/// <summary>oslo's lockutils calls, in .NET idiom, each in a lock_path of its own (<see cref="LockPathFixture"/>, which
/// changes nothing process-wide, so they run in parallel).</summary>
public sealed class LockutilsTests
{
    [Fact]
    public async Task Synchronized_runs_a_delegate_under_an_external_lock_with_oslo_file_naming()
    {
        await using var lockPath = new LockPathFixture();
        await lockPath.SetUpAsync(TestContext.Current.CancellationToken);
        var name = LockDir.UniqueName("sync");
        var file = Path.Combine(lockPath.LockPath, "nova-" + name);
        var ran = Lockutils.Synchronized(name, () =>
        {
            Assert.True(File.Exists(file));
            Assert.Null(HelperProcess.RunInAnotherFlow(() => Lockutils.ExternalLock(name, "nova-", lockPath.LockPath).TryAcquire()).Result);
            return 42;
        }, lockFilePrefix: "nova", external: true, lockPath: lockPath.LockPath);
        Assert.Equal(42, ran);

        var asyncRan = await Lockutils.SynchronizedAsync(name, () => Task.FromResult("yes"), "nova", external: true, lockPath: lockPath.LockPath, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("yes", asyncRan);
    }

    [Fact]
    public async Task The_prefixed_factories_fix_the_prefix_and_remove_external_lock_file_deletes_it()
    {
        await using var lockPath = new LockPathFixture();
        await lockPath.SetUpAsync(TestContext.Current.CancellationToken);
        var tempest = Lockutils.WithPrefix("tempest-");
        var name = LockDir.UniqueName("prefixed");
        using (tempest.Lock(name, external: true, lockPath: lockPath.LockPath)) { }
        Assert.True(File.Exists(Path.Combine(lockPath.LockPath, "tempest-" + name)));
        Assert.True(tempest.RemoveExternalLockFile(name, lockPath.LockPath));
        Assert.False(File.Exists(Path.Combine(lockPath.LockPath, "tempest-" + name)));
        Assert.False(tempest.RemoveExternalLockFile(name, lockPath.LockPath));
    }

    [Fact]
    public async Task An_internal_lock_writes_no_file()
    {
        await using var lockPath = new LockPathFixture();
        await lockPath.SetUpAsync(TestContext.Current.CancellationToken);
        var @lock = Lockutils.InternalLock(LockDir.UniqueName("internal"));
        Assert.False(@lock.IsExternal);
        using (Lockutils.Lock(@lock.Name, lockPath: lockPath.LockPath)) { }
        Assert.Empty(Directory.GetFileSystemEntries(lockPath.LockPath));
    }

    [Fact]
    public async Task A_lock_fixture_holds_its_lock_until_cleanup_and_cleanups_run_last_in_first_out()
    {
        await using var lockPath = new LockPathFixture();
        await lockPath.SetUpAsync(TestContext.Current.CancellationToken);
        var name = LockDir.UniqueName("fixture");
        var order = new List<string>();
        var scope = new Scope();
        await scope.UseFixtureAsync(new LockFixture(name, prefix: "tempest-", factory: lockPath.Factory), TestContext.Current.CancellationToken);
        Assert.True(File.Exists(Path.Combine(lockPath.LockPath, "tempest-" + name)));
        scope.AddCleanup(() =>
        {
            order.Add("delete aggregate");
            Assert.Null(HelperProcess.RunInAnotherFlow(() => Lockutils.ExternalLock(name, "tempest-", lockPath.LockPath).TryAcquire()).Result); // still held
        });
        scope.AddCleanup(() => order.Add("remove host"));
        await scope.CleanUpAsync();
        Assert.Equal(["remove host", "delete aggregate"], order);
        using var free = Lockutils.ExternalLock(name, "tempest-", lockPath.LockPath).TryAcquire();
        Assert.NotNull(free);
    }

    [Fact]
    public async Task Every_cleanup_runs_and_their_failures_are_reported_together()
    {
        var scope = new Scope();
        var ran = new List<int>();
        scope.AddCleanup(() => { ran.Add(1); throw new InvalidOperationException("first"); });
        scope.AddCleanup(() => ran.Add(2));
        scope.AddCleanup(() => { ran.Add(3); throw new IOException("third"); });
        var e = await Assert.ThrowsAsync<CleanupException>(() => scope.CleanUpAsync().AsTask());
        Assert.Equal([3, 2, 1], ran);
        Assert.Equal(2, e.InnerExceptions.Count);
        Assert.Contains("third", e.Message, StringComparison.Ordinal);
        Assert.Contains("first", e.Message, StringComparison.Ordinal);
    }

    private sealed class Scope : Fixture;
}
