using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>Each framework page's getting-started steps (docs/xunit-v3.md, docs/xunit.md, docs/nunit.md, docs/mstest.md,
/// docs/tunit.md), run verbatim in empty folders, give projects whose locked test passes; docs/core.md's program runs.</summary>
[Collection(NewUserCollection.Name)]
public sealed class NewUserTests(NewUser user)
{
    [Theory]
    [InlineData("xunit.v3")]
    [InlineData("xunit")]
    [InlineData("nunit")]
    [InlineData("mstest")]
    [InlineData("tunit")]
    public void A_new_user_following_the_framework_page_gets_a_project_whose_locked_test_passes(string framework)
    {
        user.RequireProject(framework);
        var output = user.Steps(framework).Output;
        // The page's DatabaseTests ran: the Testing Platform (xUnit v3, TUnit) and VSTest say it differently.
        Assert.True(output.Contains("Test run summary: Passed!", StringComparison.Ordinal)
                    || output.Contains("Passed!  - Failed:     0", StringComparison.Ordinal),
            $"{Markdown.RecipePages[framework]}'s `dotnet test` for {framework} did not report a passing run:\n{user.Steps(framework).Tail()}");
        Assert.DoesNotContain("warning TESTLOCKS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_core_page_example_runs_as_one_program()
    {
        user.RequireProject("core");
        var run = user.UseRun!;
        Assert.True(run.ExitCode == 0, $"the example program of docs/core.md ({NewUser.UseExample}) did not run as one program:\n{run.Tail()}");
        Assert.Contains("only one holder on this machine at a time", run.Output, StringComparison.Ordinal);
        Assert.Contains("acquired", run.Output, StringComparison.Ordinal);
        Assert.Contains("cleanup, while the lock is still held", run.Output, StringComparison.Ordinal);
    }
}
