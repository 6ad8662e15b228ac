using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

[Parallelizable(ParallelScope.Children)]
public class ParallelTests
{
    [Test, ExternalLock("parallel")]
    public void First() => Inside();

    [Test, ExternalLock("parallel")]
    public void Second() => Inside();

    private static void Inside()
    {
        Journal.Write("inside");
        Journal.Write("leaving");
    }
}
