using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>Every C# block of README.md and docs/*.md compiles against the packages, as a user would paste it.</summary>
[Collection(NewUserCollection.Name)]
public sealed class SnippetTests(NewUser user)
{
    [Fact]
    public async Task Every_csharp_block_of_the_readme_and_docs_compiles_against_the_packages()
    {
        // The plain .NET project of Getting started, with the other library package the docs show.
        var core = user.RequireProject("core");
        var add = await Shell.RunAsync("dotnet add package TestLocks.Processes --prerelease\ndotnet build", core, user.Env);
        Assert.True(add.ExitCode == 0, $"TestLocks.Processes could not be added to the plain .NET project:\n{add.Tail()}");

        var blocks = Markdown.CSharpBlocks().ToList();
        Assert.NotEmpty(blocks);
        var errors = new List<string>();
        foreach (var block in blocks)
        {
            foreach (var framework in FrameworksOf(block))
            {
                var bin = Path.Combine(user.RequireProject(framework), "bin", "Debug", "net10.0");
                errors.AddRange(SnippetCompiler.Errors(block, bin).Select(e => $"[{framework}] {e}"));
            }
        }
        Assert.True(errors.Count == 0, $"{errors.Count} errors in {blocks.Count} C# blocks:\n{string.Join('\n', errors)}");
    }

    /// <summary>The new-user projects a block is meant for: xUnit blocks serve both xUnit packages.</summary>
    private static IEnumerable<string> FrameworksOf(CodeBlock block)
    {
        if (block.Code.Contains("using NUnit.Framework;", StringComparison.Ordinal) || block.Code.Contains("using TestLocks.NUnit;", StringComparison.Ordinal))
            return ["nunit"];
        if (block.Code.Contains("using TestLocks.Xunit;", StringComparison.Ordinal) || block.Code.Contains("using Xunit;", StringComparison.Ordinal))
            return ["xunit.v3", "xunit"];
        return ["core"];
    }
}
