using System.Text.Json;
using TestLocks.Backends;
using TestLocks.Core.Tests;

[assembly: LockBackendProvider("testlocks-slow-release", typeof(JournalTimeTests.SlowReleaseProvider))]

namespace TestLocks.Core.Tests;

/// <summary>The run journal's times, which the timeline and its critical path are drawn from.</summary>
public sealed class JournalTimeTests
{
    [Fact]
    public void A_release_is_journaled_at_the_moment_the_lock_is_given_up_not_after_a_slow_release_returns()
    {
        // A release stamped after the backend let go (a server round trip, or a holder descheduled on a loaded machine)
        // can come later than the next holder's acquire: the timeline then drew an overlap that never happened, and its
        // critical path started from the wrong process (a CI failure of ReportTests under load).
        using var dir = new LockDir();
        var events = Path.Combine(dir.Path, "events");
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = "testlocks-slow-release://server", EventsPath = events });

        factory.CreateLock(LockDir.UniqueName("journal")).Acquire().Dispose();

        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(events)))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var release = lines.Single(e => e.GetProperty("event").GetString() == "release").GetProperty("time").GetDateTime().ToUniversalTime();
        var acquire = lines.Single(e => e.GetProperty("event").GetString() == "acquire").GetProperty("time").GetDateTime().ToUniversalTime();
        Assert.True(release <= SlowReleaseProvider.ReleaseBegan, $"release journaled at {release:O}, the backend began to let go at {SlowReleaseProvider.ReleaseBegan:O}");
        Assert.True(acquire <= release);
    }

    /// <summary>A backend whose release takes 2 ms of the clock, as a server's round trip does.</summary>
    public sealed class SlowReleaseProvider : ILockBackendProvider
    {
        public static DateTime ReleaseBegan { get; private set; }

        public LockBackend Create(Uri backendUrl, TestLocksSettings settings) => new Backend();

        private sealed class Backend : LockBackend
        {
            public override string Kind => "slow-release";

            public override string Describe(string key) => $"slow-release {key}";

            public override ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
                => ValueTask.FromResult<BackendLock?>(new Held());
        }

        private sealed class Held : BackendLock
        {
            protected override void Dispose(bool disposing)
            {
                ReleaseBegan = DateTime.UtcNow;
                while (DateTime.UtcNow - ReleaseBegan < TimeSpan.FromMilliseconds(2)) { } // the round trip
            }
        }
    }
}
