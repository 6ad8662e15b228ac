namespace TestLocks.Testing.Live;

/// <summary>
/// Which <c>dotnet test</c> route runs this test process, as far as it shows live output (measured with SDK 10.0.401 in
/// a terminal; see docs/xunit.md and docs/nunit.md):
/// <list type="bullet">
/// <item>MTP mode (global.json <c>"test": {"runner": "Microsoft.Testing.Platform"}</c>): the test application runs with
/// <c>--dotnet-test-pipe</c>; nothing it prints is shown live.</item>
/// <item>VSTest through MSBuild with the terminal logger (<c>dotnet test</c> on a project or solution, in a terminal):
/// the test host's standard output and the adapters' informational messages (NUnit's TestContext.Progress) are shown
/// at once. The test host then runs with MSBuild's variables (<c>MSBuildExtensionsPath</c>) and without
/// <c>MSBUILDENSURESTDOUTFORTASKPROCESSES=1</c>, which <c>dotnet test</c> sets when the terminal logger is off.</item>
/// <item>VSTest otherwise (<c>dotnet test x.dll</c>, or output redirected): informational messages are hidden at the
/// default verbosity (minimal).</item>
/// </list>
/// </summary>
internal static class DotnetTest
{
    /// <summary>Whether this process is a test application that <c>dotnet test</c> runs in MTP mode.</summary>
    public static bool IsTestingPlatformMode { get; } = Environment.GetCommandLineArgs().Contains("--dotnet-test-pipe", StringComparer.Ordinal);

    /// <summary>Whether VSTest shows this test host's standard output and informational messages live: run through
    /// MSBuild's terminal logger.</summary>
    public static bool VsTestShowsOutputLive { get; } =
        Environment.GetEnvironmentVariable("MSBuildExtensionsPath") is { Length: > 0 }
        && Environment.GetEnvironmentVariable("MSBUILDENSURESTDOUTFORTASKPROCESSES") != "1";
}
