using System.Xml.Linq;
using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>The framework versions each surface declares: it works at its floor, and below it the build says what to do.</summary>
[Collection(NewUserCollection.Name)]
public sealed class FloorTests(NewUser user)
{
    /// <summary>Framework (README marker), the package a user updates, the TestLocks package, and the newest version
    /// of that framework in the package mirror that is below the floor.</summary>
    public static TheoryData<string, string, string, string> Surfaces => new()
    {
        { "xunit.v3", "xunit.v3", "TestLocks.Xunit.v3", "3.2.2" },
        { "xunit", "xunit", "TestLocks.Xunit", "2.5.3" },
        { "nunit", "NUnit", "TestLocks.NUnit", "4.4.0" },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Each_surface_passes_at_the_lowest_framework_version_it_declares(string framework, string package, string surface, string below)
    {
        _ = below;
        var floor = Floor(surface);
        var project = user.CopyProject(framework, $"floor-{framework}");

        var run = await Shell.RunAsync($"dotnet add package {package} --version {floor}\ndotnet test", project, user.Env);

        Assert.True(run.ExitCode == 0, $"{surface} at its floor, {package} {floor}, did not pass:\n{run.Tail()}");
        Assert.Contains($"Include=\"{package}\" Version=\"{floor}\"", await File.ReadAllTextAsync(Path.Combine(project, "MyTests.csproj")),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Below_the_floor_the_build_fails_naming_the_package_and_the_version_to_use(string framework, string package, string surface, string below)
    {
        var floor = Floor(surface);
        var project = user.CopyProject(framework, $"below-{framework}");

        var run = await Shell.RunAsync($"dotnet add package {package} --version {below} || true\ndotnet build", project, user.Env);

        Assert.True(run.ExitCode != 0, $"{surface} with {package} {below} built, though its floor is {floor}:\n{run.Tail()}");
        // TESTLOCKS001 from the package's buildTransitive check, or NuGet's own NU1605 for a direct reference it downgrades.
        var error = run.Output.Split('\n').FirstOrDefault(l =>
            (l.Contains("error TESTLOCKS001", StringComparison.Ordinal) && l.Contains($"{package} {floor}", StringComparison.Ordinal))
            || (l.Contains("error NU1605", StringComparison.Ordinal) && l.Contains($"{package} from {floor} to {below}", StringComparison.Ordinal)));
        Assert.True(error is not null, $"the build of {surface} with {package} {below} did not fail with an error naming {package} {floor}:\n{run.Tail()}");
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The floor the package declares, read from its buildTransitive props (the one place it is written).</summary>
    private static string Floor(string surface)
    {
        var props = XDocument.Load(Repository.Path("src", surface, "buildTransitive", $"{surface}.props"));
        return props.Descendants().Single(e => e.Name.LocalName.EndsWith("Floor", StringComparison.Ordinal)).Value;
    }
}
