using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>Every C# block of README.md, docs/ and the packages' README.md files compiles against the packages, as a user would paste it.</summary>
[Collection(NewUserCollection.Name)]
public sealed class SnippetTests(NewUser user)
{
    [Fact]
    public void Every_csharp_block_of_the_readme_the_docs_and_the_package_readmes_compiles_against_the_packages()
    {
        // The plain .NET project of Getting started, which also has TestLocks.Processes by now (see NewUser).
        user.RequireProject("core");
        Assert.True(user.UseRun?.ExitCode == 0, $"the plain .NET project did not build:\n{user.UseRun?.Tail()}");

        var blocks = Markdown.CSharpBlocks().ToList();
        Assert.NotEmpty(blocks);
        var errors = new List<string>();
        foreach (var block in blocks)
        {
            foreach (var framework in FrameworksOf(block))
            {
                var project = user.RequireProject(framework);
                errors.AddRange(SnippetCompiler.Errors(block, Path.Combine(project, "bin", "Debug", "net10.0"), SnippetCompiler.GlobalUsingsOf(project))
                    .Select(e => $"[{framework}] {e}"));
            }
        }
        Assert.True(errors.Count == 0, $"{errors.Count} errors in {blocks.Count} C# blocks:\n{string.Join('\n', errors)}");
    }

    /// <summary>The new-user projects a block is meant for: xUnit blocks serve both xUnit packages.</summary>
    private static IEnumerable<string> FrameworksOf(CodeBlock block)
    {
        if (block.File.EndsWith("mstest.md", StringComparison.Ordinal) || block.Code.Contains("using TestLocks.MSTest;", StringComparison.Ordinal)
            || block.Code.Contains("Microsoft.VisualStudio.TestTools.UnitTesting", StringComparison.Ordinal))
            return ["mstest"];
        if (block.File.EndsWith("tunit.md", StringComparison.Ordinal) || block.Code.Contains("using TestLocks.TUnit;", StringComparison.Ordinal)
            || block.Code.Contains("using TUnit", StringComparison.Ordinal))
            return ["tunit"];
        if (block.Code.Contains("using NUnit.Framework;", StringComparison.Ordinal) || block.Code.Contains("using TestLocks.NUnit;", StringComparison.Ordinal))
            return ["nunit"];
        if (block.Code.Contains("using TestLocks.Xunit;", StringComparison.Ordinal) || block.Code.Contains("using Xunit;", StringComparison.Ordinal))
            return ["xunit.v3", "xunit"];
        return ["core"];
    }
}
