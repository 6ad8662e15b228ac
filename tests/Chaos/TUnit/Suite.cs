using TestLocks.Fixtures;

namespace Chaos.TUnit;

public sealed class Zone
{
    [Test, ExternalLock("az", Prefix = "chaos-")]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(3)]
    public void Holds_the_zone(int row)
    {
        using var hold = Witness.Hold("chaos-az", $"Zone{row}");
        using var body = Witness.Body($"Zone{row}");
        Witness.Work(30);
    }
}

[ExternalLock("db", Prefix = "chaos-")]
public sealed class Database
{
    [Test]
    public void Migrates()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Migrates));
        using var body = Witness.Body(nameof(Migrates));
        Witness.Work(30);
    }

    [Test]
    public void Restores()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Restores));
        using var body = Witness.Body(nameof(Restores));
        Witness.Work(30);
    }
}

public sealed class BodyLock : TestLocksTest
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
    [Test]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(4)]
    public void Runs_free(int row)
    {
        using var body = Witness.Body($"Free{row}");
        Witness.Work(40);
    }
}

public sealed class TimesOut
{
    [Test, Timeout(300), ExternalLock("db", Prefix = "chaos-")]
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
