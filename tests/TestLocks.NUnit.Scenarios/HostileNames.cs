using NUnit.Framework;

namespace TestLocks.NUnit.Scenarios;

public class HostileNames
{
    [Test, ExternalLock("hostile-name")]
    public void ТестДобавленияХостаВАгрегатСЗонойДоступностиИПроверкойСпискаАгрегатовПослеЭтогоИЕщёНемногоДлиннее() { }

    [TestCase("<\"&'> 🔒 可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试")]
    [ExternalLock("hostile-name")]
    public void TakesTheSameLockAfterIt(string argument) => Assert.That(argument, Is.Not.Empty);
}
