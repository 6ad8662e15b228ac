using NUnit.Framework.Internal.Execution;
using TestLocks.NUnit.Scheduling;

namespace TestLocks.NUnit.Tests;

/// <summary>Stand-ins read NUnit's internal work queue: the NUnit the tests run on has what they need, and another says what is wrong.</summary>
public sealed class QueueAccessTests
{
    [Test]
    public void This_NUnit_has_the_work_queue_stand_ins_read()
    {
        Assert.That(QueueAccess.ProblemWith(typeof(WorkItemQueue)), Is.Null);
        Assert.That(QueueAccess.Problem, Is.Null);
    }

    [Test]
    public void A_work_queue_whose_internals_differ_is_refused_with_what_is_missing_and_what_to_do()
    {
        var problem = QueueAccess.ProblemWith(typeof(DifferentQueue));

        Assert.That(problem, Does.Contain("TestLocks.NUnit cannot lend the worker of a test that waits for a lock")
            .And.Contain("missing: Int32 _addId, Int32 _removeId, Int32 _itemsProcessed, ConcurrentQueue`1[] _innerQueues, ManualResetEventSlim _mreAdd")
            .And.Contain("Use a supported NUnit version, or run without NUnit parallelism"));
    }

    private sealed class DifferentQueue
    {
    }
}
