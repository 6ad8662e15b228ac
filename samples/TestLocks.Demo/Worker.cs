using System.Diagnostics;
using System.Xml.Linq;

namespace TestLocks.Demo;

/// <summary>One test result of a worker: the test, whether it passed, and the first line of its error.</summary>
internal sealed record TestResult(string Test, bool Passed, string Error);

/// <summary>How a sample suite is started: an xUnit v3 executable, <c>dotnet test</c> on the assembly (xUnit v2, NUnit,
/// MSTest through VSTest), or a Microsoft.Testing.Platform executable (TUnit).</summary>
internal enum Runner
{
    XunitV3,
    DotnetTest,
    TestingPlatform,
}

/// <summary>A sample suite running as one test process, writing its results as TRX.</summary>
internal sealed class Worker
{
    private readonly Process _process;
    private readonly string _trx;

    private Worker(string name, Process process, string trx)
    {
        Name = name;
        _process = process;
        _trx = trx;
    }

    public string Name { get; }

    public static Worker Start(string name, string dll, Runner runner, string runDirectory, IReadOnlyDictionary<string, string> environment)
    {
        // Letters, digits and '-' only: the Testing Platform rewrites other characters of a TRX file name.
        var trx = Path.Combine(runDirectory, new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) + ".trx");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = runDirectory };
        string[] arguments = runner switch
        {
            Runner.XunitV3 => [dll, "-noLogo", "-noColor", "-result-trx", trx],
            Runner.TestingPlatform => [dll, "--report-trx", "--report-trx-filename", Path.GetFileName(trx), "--results-directory", runDirectory, "--no-progress", "--no-ansi"],
            _ => ["test", dll, "--logger", $"trx;LogFileName={trx}"],
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Worker(name, process, trx);
    }

    /// <summary>Waits for the process and reads its TRX file.</summary>
    public async Task<IReadOnlyList<TestResult>> ResultsAsync()
    {
        await _process.WaitForExitAsync();
        if (!File.Exists(_trx)) return [new TestResult($"{Name}: the test process", false, $"exited with code {_process.ExitCode} without results")];
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        return XDocument.Load(_trx).Descendants(ns + "UnitTestResult")
            .Select(r => new TestResult(
                ShortName((string)r.Attribute("testName")!),
                (string?)r.Attribute("outcome") == "Passed",
                FirstLine(r.Descendants(ns + "ErrorInfo").Elements(ns + "Message").FirstOrDefault()?.Value)))
            .ToList();
    }

    private static string ShortName(string name) => name.Replace("TestLocks.Samples.Aggregates.", "", StringComparison.Ordinal);

    /// <summary>The first line of an error, with the next one when the first only announces it ("1 cleanup(s) failed:").</summary>
    private static string FirstLine(string? text)
    {
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return "";
        return lines[0].EndsWith(':') && lines.Length > 1 ? $"{lines[0]} {lines[1]}" : lines[0];
    }
}
