namespace TestLocks.Processes.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void I_can_run_a_test() => Assert.True(true);
}
