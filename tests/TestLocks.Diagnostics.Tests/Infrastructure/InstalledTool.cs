using System.Diagnostics;
using System.Reflection;

namespace TestLocks.Diagnostics.Tests.Infrastructure;

/// <summary>
/// The testlocks command as a user has it: this build of src/TestLocks.Tool packed (<c>dotnet pack</c>, as
/// build/pack.sh packs it) into a folder, and installed from that folder with <c>dotnet tool install --tool-path</c>.
/// Once per test run (an xUnit assembly fixture).
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private static string Metadata(string key) => typeof(InstalledTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public InstalledTool()
    {
        Root = Directory.CreateTempSubdirectory("testlocks-tool-").FullName;
        var packages = Path.Combine(Root, "packages");
        var configuration = Metadata("Configuration");
        Run("dotnet", ["pack", Metadata("ToolProject"), "-c", configuration, "--no-build", "-o", packages, "-nologo", "-v", "quiet"]);
        Run("dotnet", ["tool", "install", "--tool-path", Path.Combine(Root, "tools"), "--add-source", packages, "TestLocks.Tool", "--prerelease"]);
        Command = Path.Combine(Root, "tools", "testlocks");
        if (!File.Exists(Command)) throw new InvalidOperationException($"dotnet tool install made no {Command}");
    }

    public string Root { get; }

    /// <summary>The installed command.</summary>
    public string Command { get; }

    /// <summary>Runs the installed command to its end with <paramref name="env"/> (the runner's TESTLOCKS_* removed).</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(IDictionary<string, string> env, params string[] args)
    {
        using var process = Process.Start(Start(env, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(HelperProcess.LineLimit);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>How to start the installed command with <paramref name="args"/>: stdin, stdout and stderr redirected,
    /// SIGINT at its default (build/test.sh runs the tests with it ignored, which children inherit).</summary>
    public ProcessStartInfo Start(IDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])["--default-signal=INT", Command, .. args]) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => (k.StartsWith("TESTLOCKS_", StringComparison.Ordinal) && k != "TESTLOCKS_LOCK_STRATEGY") || k == "OSLO_LOCK_PATH").ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (k, v) in env) info.Environment[k] = v;
        return info;
    }

    private static void Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}\n{error}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
