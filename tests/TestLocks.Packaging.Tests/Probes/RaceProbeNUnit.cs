using NUnit.Framework;
using TestLocks.NUnit;

public class RaceProbeTests
{
    [Test, ExternalLock("race_probe")]
    public void Probe() => RaceProbe.Run("nunit");
}
