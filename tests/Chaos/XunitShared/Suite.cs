using TestLocks.Fixtures;

namespace Chaos.Xunit;

/// <summary>Method-level locks, per theory row.</summary>
public sealed class Zone
{
    [Theory, ExternalLock("az", Prefix = "chaos-")]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Holds_the_zone(int row)
    {
        using var hold = Witness.Hold("chaos-az", $"Zone{row}");
        using var body = Witness.Body($"Zone{row}");
        Witness.Work(30);
    }
}

/// <summary>A class-level lock.</summary>
[ExternalLock("db", Prefix = "chaos-")]
public sealed class Database
{
    [Fact]
    public void Migrates()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Migrates));
        using var body = Witness.Body(nameof(Migrates));
        Witness.Work(30);
    }

    [Fact]
    public void Restores()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Restores));
        using var body = Witness.Body(nameof(Restores));
        Witness.Work(30);
    }
}

/// <summary>A lock taken in the body, as Tempest's LockFixture.</summary>
public sealed class BodyLock : TestWithFixtures
{
    [Fact]
    public void Takes_the_zone_in_its_body()
    {
        UseFixture(new LockFixture("az", "chaos-"));
        using var hold = Witness.Hold("chaos-az", nameof(Takes_the_zone_in_its_body), "f");
        using var body = Witness.Body(nameof(Takes_the_zone_in_its_body));
        Witness.Work(30);
    }
}

/// <summary>A [Serial] test: no other TestLocks test runs meanwhile.</summary>
[Serial]
public sealed class Alone
{
    [Fact]
    public void Runs_alone()
    {
        using var hold = Witness.Hold("serial", nameof(Runs_alone), "s");
        using var body = Witness.Body(nameof(Runs_alone));
        Witness.Work(30);
    }
}

/// <summary>Tests without locks, which must keep running while others wait.</summary>
public sealed class Unmarked
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Runs_free(int row)
    {
        using var body = Witness.Body($"Free{row}");
        Witness.Work(40);
    }
}

/// <summary>A test that starts a lock wait and does not wait for it: the wait ends after the test (and its collection).</summary>
public sealed class FireAndForget
{
    [Fact]
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
