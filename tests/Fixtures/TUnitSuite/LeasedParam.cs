using TestLocks.Testing;

namespace Fx.LeasedParam;

// The pool member as a parameter ([LeaseData("pool")] LeasedMember): the harness runs two processes on a pool of two.

public sealed class Param
{
    [Test, LeaseData("pool")]
    public Task Member_is_the_one_the_test_holds(LeasedMember member) => LeaseProbe.HoldAsync(member);

    [Test, LeaseData("pool")]
    public void Member_read_outside_the_test_says_so(LeasedMember member) => LeaseProbe.SaysOutside(LeaseProbe.ReadOutside(member), member);
}
