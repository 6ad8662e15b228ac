using TestLocks.Xunit;

namespace TestLocks.RaceProbe;

/// <summary>Tests that share one resource and say so: [ExternalLock] keeps them apart across processes.</summary>
[ExternalLock("race-probe")]
public sealed class RaceProbeTests
{
    public static TheoryData<int> Rounds => new(Enumerable.Range(0, 8));

    [Theory, MemberData(nameof(Rounds))]
    public void Tests_marked_with_ExternalLock_use_the_shared_resource_one_at_a_time(int round) => SharedResource.Use(round);
}
