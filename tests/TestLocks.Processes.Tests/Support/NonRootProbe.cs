using System.Runtime.InteropServices;

namespace TestLocks.Processes.Tests.Support;

/// <summary>
/// Runs TestLocks.Processes from a process that is not root: the probe program (copied next to the tests) is started
/// through util-linux <c>setpriv</c> as user <c>nobody</c>. It keeps one capability, CAP_DAC_OVERRIDE, so it can
/// still read the .NET runtime and the probe wherever they are installed; its effective user id is not 0, which is
/// what <see cref="ExecuteOptions.RunAsRoot"/> looks at.
/// </summary>
internal static class NonRootProbe
{
    private const string Nobody = "65534";

    public static async Task<ProcessResult> RunAsRootAsync(string rootHelper, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "TestLocks.Processes.Probe.dll");
        string[] setpriv =
        [
            "setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups",
            "--inh-caps=+dac_override", "--ambient-caps=+dac_override", "--",
        ];
        return await ProcessUtils.ExecuteAsync(
            [.. setpriv, DotnetHost(), probe, "run-as-root", rootHelper, .. command],
            new ExecuteOptions
            {
                AllowedExitCodes = [0, 3],
                Environment = new Dictionary<string, string?> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            },
            cancellationToken);
    }

    /// <summary>The dotnet host that runs these tests: three levels above the shared runtime directory.</summary>
    private static string DotnetHost()
    {
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(host) ? host : "dotnet";
    }
}
