using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

// The five framework surfaces the contract (SurfaceContract) runs against, each with its fixture suites and what only it
// has. A scenario that does not apply to one of them is skipped with a reason from Differences.

public sealed class The_MSTest_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.MSTest;

    private protected override Suite PlainSuite => Suite.MSTestPlain;

    private protected override (string, string[])[] Phases => [("LifecyclePhases", ["ctor", "TestInitialize", "body", "TestCleanup", "Dispose"])];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("TestInitialize failed on purpose.", "TestCleanup failed on purpose.");

    private protected override (Suite, string[])? NotWired => (Suite.MSTestUnregistered,
        ["lacks TestLocks' MSTest hook", "[GlobalTestInitialize] public static Task TakeLocks(TestContext testContext) => TestLocks.MSTest.TestLocksHooks.TakeLocksAsync(testContext);"]);

    [Fact]
    public async Task A_constructor_that_throws_leaves_its_lock_held_because_MSTest_skips_GlobalTestCleanup()
    {
        // Pins MSTest 4.5's behaviour, documented in docs/mstest.md: a change in MSTest shows here.
        using var scenario = new Scenario();
        using var child = Suite.Start(scenario, "ConstructorFails", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "1" });

        var results = await child.CompleteAsync();

        Assert.Contains("The constructor failed on purpose.", results["Constructor_throws"].Message, StringComparison.Ordinal);
        var waiting = results["Waits_for_the_failed_test"];
        Assert.False(waiting.Passed);
        Assert.Contains("LockTimeoutException", waiting.Message, StringComparison.Ordinal);
        Assert.Contains("(Fx.ConstructorFails.A_Throws.Constructor_throws)", waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_waiting_for_a_lock_stops_at_its_Timeout()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("cancel-lock");
        using var child = Suite.Start(scenario, "Cancel");

        var result = Assert.Single((await child.CompleteAsync()).Values); // while the harness still holds the lock

        Assert.False(result.Passed);
        Assert.Contains("TakeLocks' timed out after 1000ms", result.Message, StringComparison.Ordinal); // [Timeout] covers [GlobalTestInitialize]
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
    }
}

public sealed class The_TUnit_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.TUnit;

    private protected override Suite PlainSuite => Suite.TUnitPlain;

    private protected override (string, string[])[] Phases => [("LifecyclePhases", ["Before", "body", "After"]), ("WithNotInParallel", ["body"])];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("Before(Test) failed on purpose.", "After(Test) failed on purpose.");

    private protected override (Suite, string[])? NotWired => null; // Differences.NothingToWire

    [Fact]
    public async Task A_test_waiting_for_a_lock_stops_when_the_run_is_cancelled()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("cancel-lock");
        using var child = Suite.Start(scenario, "Cancel");
        await scenario.Journal.WaitForAsync("the test to wait for \"cancel-lock\"",
            j => j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "cancel-lock"), child);

        child.Interrupt(); // Ctrl+C: TUnit cancels the running tests' CancellationToken

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(30)); // while the harness still holds the lock
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
    }
}

public sealed class The_xUnit_v2_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.XunitV2;

    private protected override Suite PlainSuite => Suite.XunitV2Plain;

    private protected override (string, string[])[] Phases =>
        [("AsyncLifetimePhases", ["ctor", "InitializeAsync", "body", "DisposeAsync"]), ("DisposablePhases", ["ctor", "body", "Dispose"])];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("The constructor failed on purpose.", "Dispose failed on purpose.");

    private protected override (Suite, string[])? NotWired => (Suite.XunitV2Unregistered,
        ["hook is not registered", "[assembly: Xunit.TestFramework(\"TestLocks.Xunit.TestLocksTestFramework\", \"TestLocks.Xunit\")]"]);

    private protected override bool CancelsRunningTests => false; // Differences.NoTestCancellation
}

public sealed class The_xUnit_v3_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.XunitV3;

    private protected override Suite PlainSuite => Suite.XunitV3Plain;

    private protected override (string, string[])[] Phases =>
        [("AsyncLifetimePhases", ["ctor", "InitializeAsync", "body", "DisposeAsync"]), ("DisposablePhases", ["ctor", "body", "Dispose"])];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("The constructor failed on purpose.", "Dispose failed on purpose.");

    private protected override (Suite, string[])? NotWired => (Suite.XunitV3Unregistered,
        ["hook is not registered", "[assembly: Xunit.AssemblyFixture(typeof(TestLocks.Xunit.TestLocksAssemblyFixture))]"]);
}

public sealed class The_NUnit_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.NUnit;

    private protected override Suite PlainSuite => Suite.NUnitPlain;

    private protected override (string, string[])[] Phases => [("LifecyclePhases", ["SetUp", "body", "TearDown", "Dispose"])];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("SetUp failed on purpose.", "TearDown failed on purpose.");

    private protected override (Suite, string[])? NotWired => null; // Differences.NothingToWire
}
