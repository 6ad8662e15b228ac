using TestLocks.Fixtures;

namespace TestLocks.Xunit.Tests;

public sealed class A_lock_a_test_takes_itself : TestWithFixtures
{
    [Fact]
    public void names_the_running_test_as_its_holder_whatever_API_took_it()
    {
        var fixture = UseFixture(new LockFixture("holder-name-fixture-" + Guid.NewGuid().ToString("N")[..8]));
        var direct = LockFactory.Default.CreateLock("holder-name-direct-" + Guid.NewGuid().ToString("N")[..8]);
        using var handle = direct.Acquire();

        foreach (var (owner, file) in new[] { (fixture.Handle!.Owner, LockFactory.Default.CreateLock(fixture.LockName).Location), (handle.Owner, direct.Location) })
        {
            Assert.Contains(nameof(names_the_running_test_as_its_holder_whatever_API_took_it), owner, StringComparison.Ordinal);
            // What a waiting test (or `cat` of the lock file) is told.
            Assert.Contains(nameof(names_the_running_test_as_its_holder_whatever_API_took_it), File.ReadLines(file).First(), StringComparison.Ordinal);
        }
    }
}
