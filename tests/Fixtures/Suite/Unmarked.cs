namespace Fx.Unmarked;

public sealed class Unmarked() : JournaledTest("")
{
    [Fact]
    public void Fact() => Log("body");
}
