using System.Xml.Linq;

namespace TestLocks.Frameworks.Tests.Harness;

/// <summary>
/// Where one test's text stands in the result files CI systems read, found by reading the files as those systems do:
/// TRX (its result's output, its test's properties, its result files) and JUnit XML (the test case's properties and
/// system-out). Each place is named as docs/reports.md names it.
/// </summary>
internal static class ResultFiles
{
    private static readonly XNamespace s_trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>The places of the TRX report <paramref name="trx"/> and the JUnit XML report <paramref name="junit"/>
    /// (none when null) that hold, for the one test whose name contains <paramref name="test"/>, a text that
    /// <paramref name="matches"/>; with that text.</summary>
    public static IReadOnlyDictionary<string, string> Find(string trx, string? junit, string test, Func<string, bool> matches)
    {
        var found = new Dictionary<string, string>();
        foreach (var (place, text) in Trx(trx, test).Concat(junit is null ? [] : JUnit(junit, test)))
        {
            if (matches(text)) found.TryAdd(place, text);
        }
        return found;
    }

    private static IEnumerable<(string Place, string Text)> Trx(string path, string test)
    {
        var document = XDocument.Load(path);
        var result = document.Descendants(s_trx + "UnitTestResult").Single(r => ((string)r.Attribute("testName")!).Contains(test, StringComparison.Ordinal));
        foreach (var output in result.Descendants(s_trx + "StdOut")) yield return ("TRX output", output.Value);
        foreach (var message in result.Descendants(s_trx + "TextMessages").Elements(s_trx + "Message")) yield return ("TRX output", message.Value);
        // A result file is named by its path, or stored as TRX readers find it: under the TRX's folder, in
        // {runDeploymentRoot}/In/{the result's relativeResultsDirectory, else its executionId}/.
        var root = (string?)document.Descendants(s_trx + "Deployment").Attributes("runDeploymentRoot").FirstOrDefault() ?? "";
        var resultDirectory = (string?)result.Attribute("relativeResultsDirectory") ?? (string?)result.Attribute("executionId") ?? "";
        foreach (var file in result.Descendants(s_trx + "ResultFile").Select(f => (string)f.Attribute("path")!))
        {
            var stored = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(path)!, root, "In", resultDirectory, file);
            yield return ($"TRX result file {Path.GetFileName(file)}", File.Exists(stored) ? File.ReadAllText(stored) : $"(no file at {stored})");
        }
        var testId = (string?)result.Attribute("testId");
        var definition = document.Descendants(s_trx + "UnitTest").Single(t => (string?)t.Attribute("id") == testId);
        foreach (var property in definition.Descendants(s_trx + "Property"))
        {
            yield return ($"TRX property {property.Element(s_trx + "Key")?.Value}", property.Element(s_trx + "Value")?.Value ?? "");
        }
    }

    private static IEnumerable<(string Place, string Text)> JUnit(string path, string test)
    {
        var testCase = XDocument.Load(path).Descendants("testcase").Single(t => ((string)t.Attribute("name")!).Contains(test, StringComparison.Ordinal));
        foreach (var property in testCase.Elements("properties").Elements("property"))
        {
            yield return ($"JUnit property {(string?)property.Attribute("name")}", (string?)property.Attribute("value") ?? property.Value);
        }
        foreach (var output in testCase.Elements("system-out")) yield return ("JUnit system-out", output.Value);
    }
}
