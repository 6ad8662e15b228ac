namespace Fx.Names;

[TestClass]
public sealed class SeveralNames() : JournaledTest("names-a,names-b")
{
    [TestMethod, ExternalLock("names-b", "names-a")]
    public void Several_names() => Log("body");
}

[TestClass]
public sealed class NameA() : JournaledTest("names-a")
{
    [TestMethod, ExternalLock("names-a")]
    public void Name_a() => Log("body");
}

[TestClass, ExternalLock("names-b")]
public sealed class NameB() : JournaledTest("names-b")
{
    [TestMethod]
    public void Name_b() => Log("body");
}

[TestClass]
public sealed class AssemblyWriter() : JournaledTest("assembly-lock")
{
    [TestMethod, ExternalLock("assembly-lock")]
    public void Assembly_writer() => Log("body");
}
