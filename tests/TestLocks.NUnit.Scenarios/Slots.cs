using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

/// <summary>Two tests whose locks the driving test holds and one unmarked test, run on one parallel worker.</summary>
[Parallelizable(ParallelScope.Children)]
public class SlotTests
{
    [Test, ExternalLock("slot-first")]
    public void ReleasedFirst() => Journal.Write("first");

    [Test, ExternalLock("slot-last")]
    public void ReleasedLast() => Journal.Write("last");

    [Test]
    public void Unmarked() => Journal.Write("unmarked");
}
