using TestLocks.Fixtures;

[assembly: Parallelizable(ParallelScope.All)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]

namespace Chaos.NUnit;

public sealed class Zone
{
    private static readonly int[] s_rows = [1, 2, 3];

    [TestCaseSource(nameof(s_rows)), ExternalLock("az", Prefix = "chaos-")]
    public void Holds_the_zone(int row)
    {
        using var hold = Witness.Hold("chaos-az", $"Zone{row}");
        using var body = Witness.Body($"Zone{row}");
        Witness.Work(30);
    }

    [Test, Repeat(3), ExternalLock("az", Prefix = "chaos-")]
    public void Holds_the_zone_again()
    {
        using var hold = Witness.Hold("chaos-az", nameof(Holds_the_zone_again));
        using var body = Witness.Body(nameof(Holds_the_zone_again));
        Witness.Work(20);
    }
}

[ExternalLock("db", Prefix = "chaos-")]
public sealed class Database
{
    private static int s_attempts;

    [Test, Order(1)]
    public void Migrates()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Migrates));
        using var body = Witness.Body(nameof(Migrates));
        Witness.Work(30);
    }

    [Test, Order(2)]
    public void Restores()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Restores));
        using var body = Witness.Body(nameof(Restores));
        Witness.Work(30);
    }

    [Test, Retry(2)]
    public void Passes_on_its_second_try()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Passes_on_its_second_try));
        Witness.Work(10);
        if (Interlocked.Increment(ref s_attempts) == 1) Assert.Fail("first try fails on purpose");
    }
}

public sealed class BodyLock : TestLocksFixture
{
    [Test]
    public void Takes_the_zone_in_its_body()
    {
        UseFixture(new LockFixture("az", "chaos-"));
        using var hold = Witness.Hold("chaos-az", nameof(Takes_the_zone_in_its_body), "f");
        using var body = Witness.Body(nameof(Takes_the_zone_in_its_body));
        Witness.Work(30);
    }
}

[Serial]
public sealed class Alone
{
    [Test]
    public void Runs_alone()
    {
        using var hold = Witness.Hold("serial", nameof(Runs_alone), "s");
        using var body = Witness.Body(nameof(Runs_alone));
        Witness.Work(30);
    }
}

public sealed class Unmarked
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Runs_free(int row)
    {
        using var body = Witness.Body($"Free{row}");
        Witness.Work(40);
    }
}

public sealed class TimesOut
{
    [Test, CancelAfter(300), ExternalLock("db", Prefix = "chaos-")]
    public async Task Waits_in_its_body_past_its_timeout(CancellationToken cancellationToken)
    {
        using (Witness.Hold("chaos-db", nameof(Waits_in_its_body_past_its_timeout)))
        {
            await Task.Delay(10, CancellationToken.None);
        }
        var zone = LockFactory.Default.CreateLock("az", new LockOptions { Prefix = "chaos-" });
        await using var held = await zone.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }
}

public sealed class FireAndForget
{
    [Test]
    public void Leaves_a_wait_behind()
    {
        _ = Task.Run(async () =>
        {
            var zone = LockFactory.Default.CreateLock("az", new LockOptions { Prefix = "chaos-" });
            await using var held = await zone.AcquireAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(5);
        });
    }
}
