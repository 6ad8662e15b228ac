using TestLocks.Fixtures;

namespace TestLocks.Xunit.Tests;

public sealed class A_TestWithFixtures
{
    private sealed class Recorder : TestWithFixtures
    {
        public List<string> Log { get; } = [];

        public void Cleanup(string name) => AddCleanup(() => Log.Add(name));

        public void Cleanup(Action cleanup) => AddCleanup(cleanup);

        public void FailingCleanup(string message) => AddCleanup(() => throw new InvalidOperationException(message));

        public void AsyncCleanup(string name) => AddCleanup(async () =>
        {
            await Task.Yield();
            Log.Add(name);
        });

        public T Use<T>(T fixture) where T : Fixture => UseFixture(fixture);

        public ValueTask<T> UseAsync<T>(T fixture) where T : Fixture => UseFixtureAsync(fixture);
    }

    private sealed class NamedFixture(List<string> log, string name) : Fixture
    {
        protected override ValueTask OnSetUpAsync(CancellationToken cancellationToken)
        {
            log.Add("set up " + name);
            AddCleanup(() => log.Add("clean up " + name));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task runs_its_cleanups_last_registered_first_at_disposal()
    {
        var test = new Recorder();
        test.Cleanup("first");
        test.AsyncCleanup("second");
        test.Cleanup("third");

        await test.DisposeAsync();

        Assert.Equal(["third", "second", "first"], test.Log);
    }

    [Fact]
    public async Task runs_every_cleanup_when_some_fail_and_reports_the_failures_together()
    {
        var test = new Recorder();
        test.Cleanup("first");
        test.FailingCleanup("boom 1");
        test.Cleanup("second");
        test.FailingCleanup("boom 2");

        var error = await Assert.ThrowsAsync<CleanupException>(async () => await test.DisposeAsync());

        Assert.Equal(["second", "first"], test.Log);
        Assert.Equal(["boom 2", "boom 1"], error.InnerExceptions.Select(e => e.Message));
    }

    [Fact]
    public async Task nests_fixtures_and_cleans_them_up_in_reverse()
    {
        var test = new Recorder();
        test.Use(new NamedFixture(test.Log, "outer"));
        await test.UseAsync(new NamedFixture(test.Log, "inner"));
        test.Cleanup("last cleanup");

        await test.DisposeAsync();

        Assert.Equal(["set up outer", "set up inner", "last cleanup", "clean up inner", "clean up outer"], test.Log);
    }

    [Fact]
    public async Task keeps_a_LockFixture_used_first_held_until_every_later_cleanup_ran()
    {
        var test = new Recorder();
        test.Use(new LockFixture("inproc-fixture"));
        var heldDuringCleanup = false;
        test.Cleanup(() => heldDuringCleanup = Probe.IsHeld("inproc-fixture"));

        await test.DisposeAsync();

        Assert.True(heldDuringCleanup);
        Assert.True(Probe.IsFree("inproc-fixture"));
    }
}
