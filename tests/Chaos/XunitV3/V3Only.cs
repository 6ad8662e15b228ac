using Xunit.Sdk;

[assembly: Xunit.v3.Parallelization(Mode = ParallelMode.All)]

namespace Chaos.V3;

/// <summary>Tests that xUnit v3 runs alone (its sequential gate) while they take a lock parallel tests also take.</summary>
public sealed class Sequential
{
    [Fact(DisableParallelization = true), ExternalLock("az", Prefix = "chaos-")]
    public void Alone_with_the_zone()
    {
        using var hold = Witness.Hold("chaos-az", nameof(Alone_with_the_zone));
        using var body = Witness.Body(nameof(Alone_with_the_zone));
        Witness.Work(20);
    }

    [Fact(DisableParallelization = true), ExternalLock("db", Prefix = "chaos-")]
    public void Alone_with_the_database()
    {
        using var hold = Witness.Hold("chaos-db", nameof(Alone_with_the_database));
        using var body = Witness.Body(nameof(Alone_with_the_database));
        Witness.Work(20);
    }
}

/// <summary>A test whose timeout expires while its body waits for a lock another process holds.</summary>
public sealed class TimesOut
{
    [Fact(Timeout = 300), ExternalLock("db", Prefix = "chaos-")]
    public async Task Waits_in_its_body_past_its_timeout()
    {
        using (Witness.Hold("chaos-db", nameof(Waits_in_its_body_past_its_timeout)))
        {
            await Task.Delay(10);
        }
        // A body wait that does not use the test's token: it outlives the test when its timeout fires.
        var zone = LockFactory.Default.CreateLock("az", new LockOptions { Prefix = "chaos-" });
        await using var held = await zone.AcquireAsync(TimeSpan.FromSeconds(60));
    }
}
