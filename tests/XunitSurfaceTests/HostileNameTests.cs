namespace TestLocks.Xunit.Tests;

public sealed class A_test_with_a_long_non_ascii_name : TestWithFixtures
{
    [Fact(DisplayName = "Тест_добавления_хоста_в_агрегат_с_зоной_доступности_и_проверкой_списка_агрегатов_после_этого_<\"&'>_🔒")]
    [ExternalLock("hostile-name")]
    public void takes_and_releases_its_locks() => Assert.False(Probe.Factory.CreateLock("hostile-name-free").TryAcquire() is null);

    [Fact(DisplayName = "可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试可用区测试")]
    [ExternalLock("hostile-name")]
    public void can_take_the_same_lock_after_it() { }
}
