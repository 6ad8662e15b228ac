namespace Fx.Names;

public sealed class SeveralNames() : JournaledTest("names-a,names-b", journalConstructor: false)
{
    [Test, ExternalLock("names-b", "names-a")]
    public void Several_names() => Log("body");
}

public sealed class NameA() : JournaledTest("names-a", journalConstructor: false)
{
    [Test, ExternalLock("names-a")]
    public void Name_a() => Log("body");
}

[ExternalLock("names-b")]
public sealed class NameB() : JournaledTest("names-b", journalConstructor: false)
{
    [Test]
    public void Name_b() => Log("body");
}

public sealed class AssemblyWriter() : JournaledTest("assembly-lock", journalConstructor: false)
{
    [Test, ExternalLock("assembly-lock")]
    public void Assembly_writer() => Log("body");
}
