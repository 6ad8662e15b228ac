using TestLocks.Fixtures;

[assembly: Parallelize(Workers = 4, Scope = ExecutionScope.MethodLevel)]

namespace Chaos.MSTest;

[TestClass]
public sealed class Zone
{
    [TestMethod, ExternalLock("az", Prefix = "chaos-")]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void Holds_the_zone(int row)
    {
        using var hold = Witness.Hold("chaos-az", $"Zone{row}");
        using var body = Witness.Body($"Zone{row}");
        Witness.Work(30);
    }
}

[TestClass, ExternalLock("db", Prefix = "chaos-")]
public sealed class Database
{
    [TestMethod]
    public void Migrates()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Migrates));
        using var body = Witness.Body(nameof(Migrates));
        Witness.Work(30);
    }

    [TestMethod]
    public void Restores()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Restores));
        using var body = Witness.Body(nameof(Restores));
        Witness.Work(30);
    }
}

[TestClass]
public sealed class BodyLock : TestLocksTest
{
    [TestMethod]
    public void Takes_the_zone_in_its_body()
    {
        UseFixture(new LockFixture("az", "chaos-"));
        using var hold = Witness.Hold("chaos-az", nameof(Takes_the_zone_in_its_body), "f");
        using var body = Witness.Body(nameof(Takes_the_zone_in_its_body));
        Witness.Work(30);
    }
}

[TestClass, Serial]
public sealed class Alone
{
    [TestMethod]
    public void Runs_alone()
    {
        using var hold = Witness.Hold("serial", nameof(Runs_alone), "s");
        using var body = Witness.Body(nameof(Runs_alone));
        Witness.Work(30);
    }
}

[TestClass]
public sealed class Unmarked
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    public void Runs_free(int row)
    {
        using var body = Witness.Body($"Free{row}");
        Witness.Work(40);
    }
}

[TestClass]
public sealed class TimesOut
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod, Timeout(300, CooperativeCancellation = true), ExternalLock("db", Prefix = "chaos-")]
    public async Task Waits_in_its_body_past_its_timeout()
    {
        using (Witness.Hold("chaos-db", nameof(Waits_in_its_body_past_its_timeout)))
        {
            await Task.Delay(10);
        }
        var zone = LockFactory.Default.CreateLock("az", new LockOptions { Prefix = "chaos-" });
        await using var held = await zone.AcquireAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);
    }
}

[TestClass]
public sealed class FireAndForget
{
    [TestMethod]
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
