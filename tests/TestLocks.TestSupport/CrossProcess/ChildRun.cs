using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;

namespace TestLocks.TestSupport.CrossProcess;

/// <summary>The result of one test of a fixture run, as its TRX file reports it.</summary>
internal sealed record FixtureResult(string Name, string Outcome, string Message, string Output)
{
    public bool Passed => Outcome == "Passed";
}

/// <summary>A fixture suite running as a separate test process; its results come from the TRX file it writes.</summary>
internal sealed partial class ChildRun : IDisposable
{
    private readonly Process _process;
    private readonly string _trx;
    private readonly StringBuilder _output = new();

    public ChildRun(ProcessStartInfo start, string trx)
    {
        _trx = trx;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Exited = _process.WaitForExitAsync();
    }

    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public string Output
    {
        get { lock (_output) return $"fixture process output ({_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}):\n{_output}"; }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        if (Kill(_process.Id, 2) != 0) throw new InvalidOperationException($"kill(SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end (at most two minutes) and reads its results by test name.</summary>
    public async Task<IReadOnlyDictionary<string, FixtureResult>> CompleteAsync()
    {
        try
        {
            await Exited.WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The fixture process did not end within two minutes.\n{Output}");
        }
        if (!File.Exists(_trx)) throw new InvalidOperationException($"The fixture process wrote no results ({_trx}).\n{Output}");
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        // The error is in ErrorInfo/Message; the output in StdOut (VSTest) or TextMessages/Message (xUnit v3's runner).
        return XDocument.Load(_trx).Descendants(ns + "UnitTestResult").Select(r => new FixtureResult(
                (string)r.Attribute("testName")!,
                (string)r.Attribute("outcome")!,
                string.Concat(r.Descendants(ns + "ErrorInfo").Elements(ns + "Message").Select(m => m.Value)),
                string.Join('\n', r.Descendants(ns + "StdOut").Concat(r.Descendants(ns + "TextMessages").Elements(ns + "Message")).Select(m => m.Value))))
            .ToDictionary(r => r.Name);
    }

    /// <summary>Ends the process (and its children) if it still runs, so a failed test leaves nothing behind.</summary>
    public void Dispose()
    {
        if (!HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
