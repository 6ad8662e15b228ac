using System.Collections.Concurrent;
using System.Reflection;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Xunit;

/// <summary>
/// What both xUnit surfaces add to <see cref="LockedTest"/>: the test's lifecycle by xUnit's unique id, so that the
/// release (a later hook) finds it and a TestLocks attribute can tell whether TestLocks' hook ran for its test.
/// </summary>
internal static class TestLocking
{
    private static readonly ConcurrentDictionary<string, LockedTest> s_locked = new(StringComparer.Ordinal);

    /// <summary>Starts the lifecycle of a test case of <paramref name="testClass"/> running <paramref name="method"/> with
    /// <paramref name="arguments"/> (<see cref="LockedTest.Start"/>, in the calling flow).</summary>
    public static LockedTest Start(MethodInfo method, Type testClass, IReadOnlyList<object?>? arguments, string testId, string displayName, TestChannel channel) =>
        LockedTest.Start(testId, displayName, new TestCaseInfo(testClass, method, arguments ?? [], displayName), LockedTest.AttributesOf(testClass, method), channel);

    /// <summary>Takes the locks of <paramref name="test"/> and marks it locked until <see cref="ReleaseAsync"/>.</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    /// <exception cref="TestLocksException">A lock name template or provider does not fit the test case.</exception>
    public static async ValueTask AcquireAsync(LockedTest test, CancellationToken cancellationToken)
    {
        await test.AcquireAsync(cancellationToken).ConfigureAwait(false);
        s_locked[test.Id] = test;
    }

    /// <summary>Releases the locks taken for <paramref name="testId"/>, if any. A lock lost while held fails the
    /// release with <see cref="LockLostException"/>.</summary>
    public static ValueTask ReleaseAsync(string testId) =>
        s_locked.TryRemove(testId, out var test) ? test.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Throws when the test <paramref name="testId"/> did not go through TestLocks' hook, naming the line to add.</summary>
    public static void EnsureLocked(string? testId, string attribute)
    {
        if (testId is not null && s_locked.ContainsKey(testId)) return;
        throw new TestLocksException(
            $"This test is marked {attribute}, but TestLocks' xUnit {Registration.Version} hook is not registered in its test assembly, " +
            $"so the test would run without its locks. Add this line to any .cs file of the test project: {Registration.Line} " +
            $"(the {Registration.Package} package adds it itself to C# projects unless the MSBuild property TestLocksRegisterXunit is false{Registration.Note}).");
    }
}
