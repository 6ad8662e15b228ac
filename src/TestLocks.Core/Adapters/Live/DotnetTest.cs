namespace TestLocks.Adapters.Live;

/// <summary>
/// Which <c>dotnet test</c> route runs this test process, as far as it shows live output (measured with SDK 10.0.401 in
/// a terminal; see docs/xunit.md and docs/nunit.md):
/// <list type="bullet">
/// <item>MTP mode (global.json <c>"test": {"runner": "Microsoft.Testing.Platform"}</c>): the test application runs with
/// <c>--dotnet-test-pipe</c>; nothing it prints is shown live.</item>
/// <item>VSTest through MSBuild's terminal logger (<c>dotnet test</c> on a project or solution, in a terminal, outside
/// CI): the test host's standard output and error and the adapters' informational messages (NUnit's
/// TestContext.Progress) are shown at once. MSBuild tells its child processes which logger it chose:
/// <c>_MSBUILDTLENABLED=1</c>, which VSTest's own MSBuild task reads to pick its logger.</item>
/// <item>VSTest through MSBuild's console logger (output redirected, <c>-tl:false</c>, or a CI environment such as
/// <c>CI=true</c>, which MSBuild detects even in a terminal; <c>_MSBUILDTLENABLED=0</c>), or without MSBuild
/// (<c>dotnet test x.dll</c>): nothing the test host prints, and no informational message, is shown at the default
/// verbosity (minimal).</item>
/// </list>
/// </summary>
internal static class DotnetTest
{
    /// <summary>Whether this process is a test application that <c>dotnet test</c> runs in MTP mode.</summary>
    public static bool IsTestingPlatformMode { get; } = Environment.GetCommandLineArgs().Contains("--dotnet-test-pipe", StringComparer.Ordinal);

    /// <summary>Whether this process runs its own tests and shows them on its own standard output: a test application
    /// started by a person or a script (<c>dotnet run</c>, <c>./MyTests</c>, <c>dotnet MyTests.dll</c>), not a VSTest test
    /// host, nor an application that <c>dotnet test</c> (<c>--dotnet-test-pipe</c>), an IDE (<c>--server</c>) or xUnit's
    /// out-of-process runners (<c>-automated</c>, whose standard output carries their protocol) run.</summary>
    public static bool RunsItsOwnTests { get; } = RunsItself(Environment.GetCommandLineArgs());

    /// <summary><see cref="RunsItsOwnTests"/> for a command line (<c>argv[0]</c> first).</summary>
    internal static bool RunsItself(IReadOnlyList<string> arguments) =>
        arguments.Count > 0
        && !Path.GetFileName(arguments[0]).StartsWith("testhost", StringComparison.OrdinalIgnoreCase)
        && !arguments.Skip(1).Any(a => a is "--dotnet-test-pipe" or "--server" || a.TrimStart('-').Equals("automated", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a command line (<c>argv</c>, from <c>/proc/PID/cmdline</c>) is <c>dotnet test</c>: the dotnet
    /// muxer, then its own options before the verb (<c>dotnet -d test</c>, <c>dotnet --diagnostics test</c>), then
    /// <c>test</c>.</summary>
    internal static bool IsDotnetTest(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 2 || Path.GetFileName(arguments[0]) is not ("dotnet" or "dotnet.exe")) return false;
        var i = 1;
        while (i < arguments.Count && arguments[i].StartsWith('-'))
        {
            i += s_hostOptionsWithValue.Contains(arguments[i]) ? 2 : 1;
        }
        return i < arguments.Count && arguments[i] == "test";
    }

    /// <summary>The muxer's options that take a value (dotnet --help): the value is not the verb.</summary>
    private static readonly HashSet<string> s_hostOptionsWithValue = new(StringComparer.Ordinal)
    {
        "--additionalprobingpath", "--additional-deps", "--depsfile", "--runtimeconfig", "--fx-version", "--roll-forward",
        "--roll-forward-on-no-candidate-fx",
    };

    /// <summary>Whether VSTest shows this test host's standard output and informational messages live: run through
    /// MSBuild's terminal logger.</summary>
    public static bool VsTestShowsOutputLive { get; } = ShowsOutputLive(Environment.GetEnvironmentVariable);

    /// <summary><see cref="VsTestShowsOutputLive"/> for an environment. SDKs older than MSBuild's
    /// <c>_MSBUILDTLENABLED</c> set <c>MSBUILDENSURESTDOUTFORTASKPROCESSES=1</c> when the terminal logger is off.</summary>
    internal static bool ShowsOutputLive(Func<string, string?> environment) =>
        environment("MSBuildExtensionsPath") is { Length: > 0 }
        && environment("_MSBUILDTLENABLED") switch
        {
            "1" => true,
            null or "" => environment("MSBUILDENSURESTDOUTFORTASKPROCESSES") != "1",
            _ => false,
        };
}
