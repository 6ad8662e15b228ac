namespace TestLocks.NUnit.Tests;

/// <summary>A counted lock and a pool lease with Scope = LockScope.Fixture: the fixture's tests see what it holds.</summary>
public sealed class FixtureCountedTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [Test]
    public async Task The_tests_of_a_fixture_that_leases_a_pool_member_read_it_and_ask_again_for_what_it_holds_without_waiting()
    {
        await File.WriteAllTextAsync(Workspace.ConfigFile, "[testlocks.pools]\npool = m1, m2\n");

        var process = await RunAsync(Tests("FixtureCounted"));

        AssertPassed(process);
        var journal = Workspace.Journal();
        Assert.That(journal, Has.Count.EqualTo(3), string.Join(Environment.NewLine, process.Output));
        Assert.That(journal[0], Is.AnyOf("A member m1", "A member m2"));
        Assert.That(journal[1], Is.EqualTo(journal[0]), "a test that asks again for its fixture's pool reads the fixture's member");
        Assert.That(journal[2], Is.EqualTo("A quota"));
    }
}
