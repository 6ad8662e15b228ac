using TestLocks.Xunit;
using Xunit;

public class RaceProbeTests
{
    [Fact, ExternalLock("race_probe")]
    public void Probe() => RaceProbe.Run("xunit");
}
