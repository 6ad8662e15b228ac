namespace Fx.Names;

public sealed class SeveralNames() : JournaledTest("names-a,names-b")
{
    [Fact, ExternalLock("names-b", "names-a")]
    public void Fact() => Log("body");
}

public sealed class NameA() : JournaledTest("names-a")
{
    [Fact, ExternalLock("names-a")]
    public void Fact() => Log("body");
}

[ExternalLock("names-b")]
public sealed class NameB() : JournaledTest("names-b")
{
    [Fact]
    public void Fact() => Log("body");
}

public sealed class AssemblyWriter() : JournaledTest("assembly-lock")
{
    [Fact, ExternalLock("assembly-lock")]
    public void Fact() => Log("body");
}
