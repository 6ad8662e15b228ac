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

    /// <summary>The first bash block after the marker <c>&lt;!-- new-user: name --&gt;</c> in README.md: the steps a new
    /// user of that framework follows.</summary>
    public static CodeBlock NewUserSteps(string name)
    {
        var readme = File.ReadAllText(Repository.Path("README.md"));
        var marker = readme.IndexOf($"<!-- new-user: {name} -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no '<!-- new-user: {name} -->' marker before the {name} getting-started steps");
        var line = readme[..marker].Count(c => c == '\n') + 1;
        return Blocks("README.md").First(b => b.Line > line && b.Language == "bash");
    }

    /// <summary>The C# blocks of README.md and docs/*.md.</summary>
    public static IEnumerable<CodeBlock> CSharpBlocks() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Repository.Path("docs"), "*.md").Order(StringComparer.Ordinal)
                .Select(f => Path.GetRelativePath(Repository.Root, f)))
            .SelectMany(Blocks).Where(b => b.Language is "csharp" or "cs" or "c#");

    [GeneratedRegex(@"^```\s*([A-Za-z#+.-]*)")]
    private static partial Regex Fence();
}
