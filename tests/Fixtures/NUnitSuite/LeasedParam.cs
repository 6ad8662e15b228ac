using TestLocks.Testing;

namespace Fx.LeasedParam;

// The pool member as a parameter ([Lease("pool")] LeasedMember): the harness runs two processes on a pool of two.

public sealed class Param
{
    [Test]
    public Task Member_is_the_one_the_test_holds([Lease("pool")] LeasedMember member) => LeaseProbe.HoldAsync(member);

    [Test]
    public void Member_read_outside_the_test_says_so([Lease("pool")] LeasedMember member) => LeaseProbe.SaysOutside(LeaseProbe.ReadOutside(member), member);
}
