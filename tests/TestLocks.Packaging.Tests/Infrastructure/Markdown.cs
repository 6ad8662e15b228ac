using System.Text.RegularExpressions;

namespace TestLocks.Packaging.Tests.Infrastructure;

/// <summary>A fenced code block of a Markdown file, and where it is.</summary>
public sealed record CodeBlock(string File, int Line, string Language, string Code)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Reads the fenced code blocks of the repository's Markdown files.</summary>
internal static partial class Markdown
{
    public static IReadOnlyList<CodeBlock> Blocks(string relativePath)
    {
        var lines = File.ReadAllLines(Repository.Path(relativePath));
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```") end++;
            blocks.Add(new CodeBlock(relativePath, start, open.Groups[1].Value, string.Join('\n', lines[start..end])));
            i = end;
        }
        return blocks;
    }

    /// <summary>The page of each getting-started recipe: a framework's page, or the core API's for plain .NET.</summary>
    public static readonly IReadOnlyDictionary<string, string> RecipePages = new Dictionary<string, string>
    {
        ["xunit.v3"] = "docs/xunit-v3.md",
        ["xunit"] = "docs/xunit.md",
        ["nunit"] = "docs/nunit.md",
        ["mstest"] = "docs/mstest.md",
        ["tunit"] = "docs/tunit.md",
        ["core"] = "docs/core.md",
    };

    /// <summary>The first bash block after the marker <c>&lt;!-- new-user: name --&gt;</c> on the recipe's page
    /// (<see cref="RecipePages"/>): the steps a new user of that framework follows.</summary>
    public static CodeBlock NewUserSteps(string name)
    {
        var page = RecipePages[name];
        var text = File.ReadAllText(Repository.Path(page));
        var marker = text.IndexOf($"<!-- new-user: {name} -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"{page} has no '<!-- new-user: {name} -->' marker before the {name} getting-started steps");
        Assert.True(text.IndexOf($"<!-- new-user: {name} -->", marker + 1, StringComparison.Ordinal) < 0,
            $"{page} has two '<!-- new-user: {name} -->' markers: a reader could follow either");
        var line = text[..marker].Count(c => c == '\n') + 1;
        var steps = Blocks(page).FirstOrDefault(b => b.Line > line && b.Language == "bash");
        Assert.True(steps is not null, $"{page} has no bash block after its '<!-- new-user: {name} -->' marker");
        return steps;
    }

    /// <summary>The Markdown pages a user reads: README.md, docs/ (every folder) and the packages' README.md files.</summary>
    public static IEnumerable<string> Pages() =>
        new[] { "README.md" }
            .Concat(Directory.GetFiles(Repository.Path("docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.GetDirectories(Repository.Path("src")).Select(d => System.IO.Path.Combine(d, "README.md")).Where(File.Exists))
            .Select(f => System.IO.Path.IsPathRooted(f) ? System.IO.Path.GetRelativePath(Repository.Root, f) : f)
            .Order(StringComparer.Ordinal);

    /// <summary>The C# blocks of every page (<see cref="Pages"/>).</summary>
    public static IEnumerable<CodeBlock> CSharpBlocks() =>
        Pages().SelectMany(Blocks).Where(b => b.Language is "csharp" or "cs" or "c#");

    [GeneratedRegex(@"^```\s*([A-Za-z#+.-]*)")]
    private static partial Regex Fence();
}
