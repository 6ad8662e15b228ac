using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>
/// An xUnit v3 project with a test framework of its own (issue 20, item 9): in its sources, or as an MSBuild
/// AssemblyAttribute item, as Xunit.DependencyInjection's package adds it. xUnit takes one [assembly: TestFramework]; the
/// build used to fail with CS0579 pointing into the NuGet cache. Now TestLocks leaves its own out, says what that costs
/// and how to get it back (TESTLOCKS002), and the locked test passes under the project's framework.
/// </summary>
[Collection(NewUserCollection.Name)]
public sealed class OwnFrameworkTests(NewUser user)
{
    private const string Framework = """
        namespace MyTests;

        public sealed class OwnFramework : Xunit.v3.XunitTestFramework;

        public sealed class UnderOwnFramework
        {
            [Xunit.Fact, TestLocks.Xunit.ExternalLock("own-framework")]
            public void Runs_with_its_lock() { } // [ExternalLock] fails the test unless TestLocks took the lock
        }
        """;

    [Theory]
    [InlineData("source")]
    [InlineData("msbuild-item")]
    public async Task A_project_with_its_own_xUnit_test_framework_builds_and_is_told_what_it_loses(string how)
    {
        var project = user.CopyProject("xunit.v3", $"own-framework-{how}");
        await File.WriteAllTextAsync(Path.Combine(project, "OwnFramework.cs"), how == "source"
            ? "[assembly: Xunit.TestFramework(typeof(MyTests.OwnFramework))]\n" + Framework
            : Framework);
        if (how == "msbuild-item")
        {
            var csproj = Path.Combine(project, "MyTests.csproj");
            var text = await File.ReadAllTextAsync(csproj);
            await File.WriteAllTextAsync(csproj, text.Replace("</Project>", """
                  <ItemGroup>
                    <AssemblyAttribute Include="Xunit.TestFramework">
                      <_Parameter1>typeof(MyTests.OwnFramework)</_Parameter1>
                      <_Parameter1_IsLiteral>true</_Parameter1_IsLiteral>
                    </AssemblyAttribute>
                  </ItemGroup>
                </Project>
                """, StringComparison.Ordinal));
        }

        var run = await Shell.RunAsync("dotnet test", project, user.Env);

        Assert.True(run.ExitCode == 0, $"a project with its own test framework ({how}) did not build and pass:\n{run.Tail()}");
        Assert.DoesNotContain("CS0579", run.Output, StringComparison.Ordinal);
        var warning = run.Output.Split('\n').FirstOrDefault(l => l.Contains("warning TESTLOCKS002", StringComparison.Ordinal));
        Assert.True(warning is not null, $"no TESTLOCKS002 warning:\n{run.Tail()}");
        Assert.Contains("TestLocks.Xunit.TestLocksTestFramework", warning, StringComparison.Ordinal);
        Assert.Contains("TestLocksRegisterXunitFramework=false", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_TestLocks_framework_beside_ones_own_stops_the_build_naming_the_fix()
    {
        var project = user.CopyProject("xunit.v3", "own-framework-and-ours");
        await File.WriteAllTextAsync(Path.Combine(project, "OwnFramework.cs"), "[assembly: Xunit.TestFramework(typeof(MyTests.OwnFramework))]\n" + Framework);

        var run = await Shell.RunAsync("dotnet build -p:TestLocksRegisterXunitFramework=true", project, user.Env);

        Assert.True(run.ExitCode != 0, $"the build passed:\n{run.Tail()}");
        Assert.Contains("error TESTLOCKS003", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CS0579", run.Output, StringComparison.Ordinal);
    }
}
