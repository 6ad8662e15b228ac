using System.Text.RegularExpressions;
using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>
/// What the pages promise about themselves, checked without packing: each getting-started recipe lives on its page (and
/// only there, so that the one the new-user tests run is the one a reader follows), README links to every page, every
/// link inside the repository leads to a file of it, and every test docs/design.md names exists.
/// </summary>
public sealed partial class DocsTests
{
    [Fact]
    public void Each_framework_page_holds_its_getting_started_steps_and_the_readme_links_to_it()
    {
        var readme = File.ReadAllText(Repository.Path("README.md"));
        foreach (var (framework, page) in Markdown.RecipePages)
        {
            var steps = Markdown.NewUserSteps(framework);
            Assert.Contains("$TESTLOCKS_PACKAGES", steps.Code, StringComparison.Ordinal);
            if (framework != "core")
                Assert.True(steps.Code.TrimEnd().EndsWith("dotnet test", StringComparison.Ordinal),
                    $"{steps}: the {framework} steps must end with `dotnet test`, which the new-user test checks passes");
            Assert.True(readme.Contains($"]({page})", StringComparison.Ordinal) || readme.Contains($"]({page}#", StringComparison.Ordinal),
                $"README.md does not link to {page}, the {framework} page");
        }
        foreach (var page in Markdown.Pages().Where(p => !Markdown.RecipePages.Values.Contains(p)))
            Assert.False(Marker().IsMatch(File.ReadAllText(Repository.Path(page))),
                $"{page} has a getting-started marker: the steps belong on their framework's page, where the new-user tests run them");
    }

    [Fact]
    public void Every_relative_link_of_the_docs_leads_to_a_file_of_the_repository()
    {
        var broken = new List<string>();
        foreach (var page in Markdown.Pages())
        {
            var folder = Path.GetDirectoryName(Repository.Path(page))!;
            foreach (Match link in Link().Matches(File.ReadAllText(Repository.Path(page))))
            {
                var parts = link.Groups[1].Value.Split('#', 2);
                var target = parts[0];
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var full = target.Length == 0 ? Repository.Path(page) : Path.GetFullPath(Path.Combine(folder, target));
                if (!full.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    broken.Add($"{page}: ({target}) points outside the repository");
                else if (!File.Exists(full) && !Directory.Exists(full))
                    broken.Add($"{page}: ({target}) does not exist");
                else if (parts.Length == 2 && full.EndsWith(".md", StringComparison.Ordinal) && !Anchors(full).Contains(parts[1]))
                    broken.Add($"{page}: ({link.Groups[1].Value}) names no heading of {Path.GetRelativePath(Repository.Root, full)}");
            }
            // A path written as text, such as ../shared/DESIGN.md, leads outside the repository as surely as a link.
            foreach (Match outside in Outside().Matches(File.ReadAllText(Repository.Path(page))))
                broken.Add($"{page}: '{outside.Value}' points outside the repository");
        }
        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    [Fact]
    public void Every_test_design_md_names_exists()
    {
        var design = File.ReadAllText(Repository.Path("docs", "design.md"));
        var sources = Directory.GetFiles(Repository.Path("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var named = TestName().Matches(design).Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value)).Distinct().ToList();
        Assert.True(named.Count >= 20, $"design.md names {named.Count} tests; each rule names the test that keeps it");
        var missing = named.Where(t => !sources.Any(s => Regex.IsMatch(s, $@"\bclass {t.Class}\b") && Regex.IsMatch(s, $@"\b{t.Method}\s*\(")))
            .Select(t => $"{t.Class}.{t.Method}").ToList();
        Assert.True(missing.Count == 0, $"design.md names tests that do not exist under tests/:\n{string.Join('\n', missing)}");
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string file) =>
        File.ReadLines(file).Where(l => l.StartsWith('#'))
            .Select(l => string.Concat(l.TrimStart('#').Trim().ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A getting-started marker at the start of a line (not one quoted in the text).</summary>
    [GeneratedRegex(@"^<!-- new-user:", RegexOptions.Multiline)]
    private static partial Regex Marker();

    /// <summary>A Markdown link or image: the target in <c>](target)</c>.</summary>
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    /// <summary>A path that climbs out of the repository from docs/ or the root: ../something.</summary>
    [GeneratedRegex(@"(?<![\w.])\.\./(?:\.\./)*shared/[\w./-]+")]
    private static partial Regex Outside();

    /// <summary>A test named in backquotes as Class.Method, the method a sentence with underscores.</summary>
    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]+)\.([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)`")]
    private static partial Regex TestName();
}
