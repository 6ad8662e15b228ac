using System.Xml.Linq;
using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>The framework versions each surface declares: it works at its floor, and below it the build says what to do.</summary>
[Collection(NewUserCollection.Name)]
public sealed class FloorTests(NewUser user)
{
    /// <summary>A surface: its getting-started marker (docs page), the framework package a user updates, the TestLocks package, and the newest
    /// version of that framework in the package mirror below the floor.</summary>
    private sealed record Surface(string Framework, string Package, string TestLocksPackage, string Below)
    {
        /// <summary>The floor the package declares, read from its buildTransitive props (the one place it is written).</summary>
        public string Floor => XDocument.Load(Repository.Path("src", TestLocksPackage, "buildTransitive", $"{TestLocksPackage}.props"))
            .Descendants().Single(e => e.Name.LocalName.EndsWith("Floor", StringComparison.Ordinal)).Value;
    }

    private static readonly Surface[] Surfaces =
    [
        new("xunit.v3", "xunit.v3", "TestLocks.Xunit.v3", "3.2.2"),
        new("xunit", "xunit", "TestLocks.Xunit", "2.5.3"),
        new("nunit", "NUnit", "TestLocks.NUnit", "4.4.0"),
        // MSTest: NuGet lifts MSTest.TestFramework to the floor for a user of the MSTest metapackage below it, and no
        // TUnit older than its floor is served, so these two are run at their floor only.
        new("mstest", "MSTest", "TestLocks.MSTest", Below: ""),
    ];

    [Fact]
    public async Task Each_surface_passes_at_the_lowest_framework_version_it_declares()
    {
        var runs = await Task.WhenAll(Surfaces.Select(async s =>
        {
            var project = user.CopyProject(s.Framework, $"floor-{s.Framework}");
            // The shard test may already have added its race probe (which needs RACE_DIR) to the project copied here.
            foreach (var probe in Directory.GetFiles(project, "RaceProbe*.cs")) File.Delete(probe);
            var run = await Shell.RunAsync($"dotnet add package {s.Package} --version {s.Floor}\ndotnet test", project, user.Env);
            return (s, project, run);
        }));

        foreach (var (s, project, run) in runs)
        {
            Assert.True(run.ExitCode == 0, $"{s.TestLocksPackage} at its floor, {s.Package} {s.Floor}, did not pass:\n{run.Tail()}");
            Assert.Contains($"Include=\"{s.Package}\" Version=\"{s.Floor}\"", await File.ReadAllTextAsync(Path.Combine(project, "MyTests.csproj")),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Below_the_floor_the_build_fails_naming_the_package_and_the_version_to_use()
    {
        var runs = await Task.WhenAll(Surfaces.Where(s => s.Below.Length > 0).Select(async s =>
        {
            var project = user.CopyProject(s.Framework, $"below-{s.Framework}");
            var run = await Shell.RunAsync($"dotnet add package {s.Package} --version {s.Below} || true\ndotnet build", project, user.Env);
            return (s, run);
        }));

        foreach (var (s, run) in runs)
        {
            Assert.True(run.ExitCode != 0, $"{s.TestLocksPackage} with {s.Package} {s.Below} built, though its floor is {s.Floor}:\n{run.Tail()}");
            // TESTLOCKS001 from the package's buildTransitive check, or NuGet's own NU1605 for a direct reference it would downgrade.
            var error = run.Output.Split('\n').FirstOrDefault(l =>
                (l.Contains("error TESTLOCKS001", StringComparison.Ordinal) && l.Contains($"{s.Package} {s.Floor} or later", StringComparison.Ordinal))
                || (l.Contains("error NU1605", StringComparison.Ordinal) && l.Contains($"{s.Package} from {s.Floor} to {s.Below}", StringComparison.Ordinal)));
            Assert.True(error is not null, $"{s.TestLocksPackage} with {s.Package} {s.Below} did not fail with an error naming {s.Package} {s.Floor}:\n{run.Tail()}");
            Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        }
    }
}
