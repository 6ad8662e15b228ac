using System.Diagnostics;

namespace TestLocks.Packaging.Tests.Infrastructure;

/// <summary>The result of one bash script: its exit code and everything it printed (also kept in a log file).</summary>
public sealed record ShellResult(string Script, string Directory, int ExitCode, string Output, string LogFile, TimeSpan Elapsed)
{
    /// <summary>The end of the output, for assertion messages; VSTest's summary words are defused so that
    /// build/test.sh, which counts "Passed!"/"Failed!" lines, never counts a nested run's.</summary>
    public string Tail(int lines = 60)
    {
        var all = Output.Split('\n');
        var tail = string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        return $"$ (cd {Directory} && bash) <<'SCRIPT'\n{Script}\nSCRIPT\nexit code {ExitCode}; last {lines} lines of {LogFile}:\n"
            + tail.Replace("Passed!", "Passed.", StringComparison.Ordinal).Replace("Failed!", "Failed.", StringComparison.Ordinal);
    }
}

/// <summary>Runs bash scripts the way a user's terminal would, with the environment a new user has: none of the
/// MSBuild, test-host or TestLocks variables of the process running these tests.</summary>
internal static class Shell
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(8);

    public static async Task<ShellResult> RunAsync(string script, string directory, IReadOnlyDictionary<string, string> env,
        TimeSpan? limit = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var log = System.IO.Path.Combine(directory, $"..{System.IO.Path.DirectorySeparatorChar}{System.IO.Path.GetFileName(directory)}-{Guid.NewGuid():N}.log");
        log = System.IO.Path.GetFullPath(log);
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
        };
        // Output to a file, not a pipe: build servers the script leaves behind must not hold this test's pipes open.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec </dev/null >'{log}' 2>&1\nset -euo pipefail\n{script}");
        foreach (var key in psi.Environment.Keys.ToList())
        {
            if (IsInherited(key)) continue;
            psi.Environment.Remove(key);
        }
        foreach (var (key, value) in env) psi.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(limit ?? DefaultLimit);
        int exitCode;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            exitCode = -1;
            await File.AppendAllTextAsync(log, $"\n[killed: still running after {limit ?? DefaultLimit}]\n");
        }
        var result = new ShellResult(script, directory, exitCode, await File.ReadAllTextAsync(log), log, clock.Elapsed);
        // What each step took, in artifacts/newuser-timings.txt.
        Directory.CreateDirectory(Repository.Path("artifacts"));
        await File.AppendAllTextAsync(Repository.Path("artifacts", "newuser-timings.txt"),
            $"{DateTime.UtcNow:HH:mm:ss} {clock.Elapsed.TotalSeconds,6:F1}s exit {exitCode,3} {directory}: {script.Split('\n').Length} lines, {script.Split('\n')[0]}\n");
        return result;
    }

    /// <summary>Variables a user's shell has; what MSBuild, VSTest and the TestLocks tests set is not passed on.</summary>
    private static bool IsInherited(string key) =>
        !(key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
          || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
          || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
          || key.StartsWith("TESTLOCKS_", StringComparison.OrdinalIgnoreCase)
          || key.StartsWith("OSLO_", StringComparison.OrdinalIgnoreCase)
          || key.StartsWith("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)
          || key is "RuntimeIdentifier" or "Configuration" or "Platform" or "TargetFramework");
}
