using System.Runtime.CompilerServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.Testing;
using TestLocks.Testing.Live;

namespace TestLocks.MSTest.Execution;

/// <summary>
/// What the hook does around one test or data row: take its locks as one <see cref="LockSet"/> in [GlobalTestInitialize],
/// name the test as running in the flow MSTest carries on into the constructor, TestInitialize, the test, TestCleanup
/// and Dispose (so taking a held lock again there fails at once), and release the locks in [GlobalTestCleanup].
/// </summary>
internal static class TestLocking
{
    private const int MaxOwnerLength = 120;

    private static readonly ConditionalWeakTable<TestContext, Held> s_held = new();
    private static long s_tests;

    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout.</exception>
    /// <exception cref="OperationCanceledException">The test's CancellationToken fired while waiting.</exception>
    /// <exception cref="TestLocksException">A lock name template or provider does not fit the data row.</exception>
    public static Task AcquireAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var test = TestMethods.Of(context);
        var displayName = context.TestDisplayName ?? context.TestName ?? test.Method.Name;
        var fullName = $"{test.TestClass.FullName}.{displayName}";
        var owner = fullName.Length <= MaxOwnerLength ? fullName : string.Concat(fullName.AsSpan(0, MaxOwnerLength - 3), "...");
        var requests = TestMethods.Requests(test, new TestCaseInfo(test.TestClass, test.Method, context.TestData ?? [], displayName));
        var testId = $"{Interlocked.Increment(ref s_tests)}:{fullName}";

        // Set synchronously, before the first await: MSTest captures the execution context after [GlobalTestInitialize]
        // and runs the constructor, TestInitialize, the test, TestCleanup and Dispose in it.
        var current = CurrentTest.Enter(testId);
        var ownerScope = LockOwner.Set(owner);
        var options = new LockSetOptions { Owner = owner, TestId = testId, OnWaiting = notice => Report(context, $"[TestLocks] {fullName}: {notice}") };
        return AcquireCoreAsync(context, requests, options, new Held(current, ownerScope));
    }

    public static async Task ReleaseAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!s_held.TryGetValue(context, out var held) || !s_held.Remove(context)) return;
        await held.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task AcquireCoreAsync(TestContext context, IReadOnlyList<LockRequest> requests, LockSetOptions options, Held held)
    {
        try
        {
            held.Locks = await LockSet.AcquireAsync(requests, options: options, cancellationToken: context.CancellationTokenSource.Token).ConfigureAwait(false);
            // A lock lost while the test runs cancels its CancellationToken at once; the release then fails it with LockLostException.
            held.Locks.OnLost(context.CancellationTokenSource.Cancel);
        }
        catch
        {
            await held.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        s_held.AddOrUpdate(context, held);
    }

    /// <summary>A wait notice: in the test's output, as a message for the runner's output device (shown live when the
    /// test application runs in a terminal, and by VSTest through MSBuild's terminal logger), and, wherever
    /// <c>dotnet test</c> shows nothing of the test process live (MTP mode; VSTest through MSBuild's console logger, as
    /// in a CI job or with output piped), in the CI job's log or on the controlling terminal.</summary>
    private static void Report(TestContext context, string line)
    {
        if (DotnetTest.IsTestingPlatformMode || !DotnetTest.VsTestShowsOutputLive) LiveLine.Write(line);
        try
        {
            context.WriteLine(line);
            context.DisplayMessage(MessageLevel.Informational, line);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The test's output is closed (the notice raced the end of the wait); nothing else to tell.
        }
    }

    /// <summary>One test's locks and the scopes that name it as running.</summary>
    private sealed class Held(IDisposable current, IDisposable owner) : IAsyncDisposable
    {
        public LockSetHandle? Locks { get; set; }

        public async ValueTask DisposeAsync()
        {
            owner.Dispose();
            current.Dispose();
            if (Locks is not null) await Locks.DisposeAsync().ConfigureAwait(false);
        }
    }
}
