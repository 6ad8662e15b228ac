// xUnit v3 with [assembly: Parallelization(Mode = ParallelMode.All)]: xUnit gates each test, parallel tests in while no
// test with DisableParallelization runs, and a sequential test in while nothing else runs. A parallel test must never
// hold a TestLocks lock while it waits at that gate: a sequential test inside the gate waiting for the same lock would
// wait for ever. The harness holds "gates-s-go" (which the sequential test takes before "gates-shared-db", names being
// taken in order) and "gates-z-go" (which the parallel test takes after "gates-shared-db").
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.All)]

namespace Fx.Gates;

public sealed class Parallel() : JournaledTest("gates-shared-db,gates-z-go")
{
    [Fact, ExternalLock("gates-shared-db"), ExternalLock("gates-z-go")]
    public void Takes_the_db() => Log("body");
}

public sealed class Sequential() : JournaledTest("gates-s-go,gates-shared-db")
{
    [Fact(DisableParallelization = true), ExternalLock("gates-s-go"), ExternalLock("gates-shared-db")]
    public void Takes_the_db_alone() => Log("body");
}
