using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>README.md's getting-started steps, run verbatim in empty folders, give projects whose tests pass.</summary>
[Collection(NewUserCollection.Name)]
public sealed class NewUserTests(NewUser user)
{
    [Theory]
    [InlineData("xunit.v3")]
    [InlineData("xunit")]
    [InlineData("nunit")]
    [InlineData("mstest")]
    [InlineData("tunit")]
    public void A_new_user_following_the_readme_gets_a_project_whose_locked_test_passes(string framework)
    {
        user.RequireProject(framework);
        var output = user.Steps(framework).Output;
        // The README's DatabaseTests ran: the Testing Platform (xUnit v3, TUnit) and VSTest say it differently.
        Assert.True(output.Contains("Test run summary: Passed!", StringComparison.Ordinal)
                    || output.Contains("Passed!  - Failed:     0", StringComparison.Ordinal),
            $"README's `dotnet test` for {framework} did not report a passing run:\n{user.Steps(framework).Tail()}");
        Assert.DoesNotContain("warning TESTLOCKS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_use_example_runs_as_one_program()
    {
        user.RequireProject("core");
        var run = user.UseRun!;
        Assert.True(run.ExitCode == 0, $"the example under Use ({NewUser.UseExample}) did not run as one program:\n{run.Tail()}");
        Assert.Contains("only one holder on this machine at a time", run.Output, StringComparison.Ordinal);
        Assert.Contains("acquired", run.Output, StringComparison.Ordinal);
        Assert.Contains("cleanup, while the lock is still held", run.Output, StringComparison.Ordinal);
    }
}
