using System.Collections.Concurrent;
using System.Reflection;
using TestLocks.Testing;

namespace TestLocks.Xunit;

/// <summary>
/// What both xUnit surfaces do around one test: read its <see cref="ExternalLockAttribute"/>s and
/// <see cref="SerialAttribute"/> from the method, the class and the assembly, take them as one <see cref="LockSet"/> for
/// the test, and remember that the test is locked until it is released.
/// </summary>
internal static class TestLocking
{
    private const int MaxOwnerLength = 120;

    private static readonly ConcurrentDictionary<(MethodInfo, Type), (ExternalLockAttribute[] Locks, LockRequest Serial)> s_attributes = new();
    private static readonly ConcurrentDictionary<string, LockSetHandle> s_locked = new(StringComparer.Ordinal);

    /// <summary>The locks a test case of <paramref name="testClass"/> running <paramref name="method"/> with
    /// <paramref name="arguments"/> asks for: its [ExternalLock] names from every level (templates formatted with the
    /// arguments), and the write side of the serial lock when it is [Serial], else its read side.</summary>
    public static IReadOnlyList<LockRequest> RequestsFor(MethodInfo method, Type testClass, IReadOnlyList<object?>? arguments, string displayName)
    {
        var (locks, serial) = s_attributes.GetOrAdd((method, testClass), static key =>
        {
            var (method, testClass) = key;
            var attributes = method.GetCustomAttributes(inherit: true)
                .Concat(testClass.GetCustomAttributes(inherit: true))
                .Concat(testClass.Assembly.GetCustomAttributes(inherit: true)).ToList();
            var serial = attributes.OfType<SerialAttribute>().FirstOrDefault()?.Request ?? LockRequest.NotSerial();
            return ([.. attributes.OfType<ExternalLockAttribute>()], serial);
        });
        if (locks.Length == 0) return [serial];
        var testCase = new TestCaseInfo(testClass, method, arguments ?? [], displayName);
        return [.. locks.SelectMany(l => l.RequestsFor(testCase)), serial];
    }

    /// <summary>Takes the locks of one test and marks it locked. Each wait notice goes to <paramref name="report"/> as a line
    /// naming the test ("[TestLocks] TEST: Waiting for lock ..."); <paramref name="waits"/> keeps them for the summary.</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    /// <exception cref="TestLocksException">A lock name template or provider does not fit the test case.</exception>
    public static async ValueTask<LockSetHandle> AcquireAsync(MethodInfo method, Type testClass, IReadOnlyList<object?>? arguments, string testId,
        WaitLog waits, Action<string> report, CancellationToken cancellationToken)
    {
        var displayName = waits.Test;
        var owner = displayName.Length <= MaxOwnerLength ? displayName : string.Concat(displayName.AsSpan(0, MaxOwnerLength - 3), "...");
        var options = new LockSetOptions
        {
            Owner = owner,
            TestId = testId,
            OnWaiting = notice => report(waits.Line(notice)),
        };
        var handle = await LockSet.AcquireAsync(RequestsFor(method, testClass, arguments, displayName), options: options, cancellationToken: cancellationToken).ConfigureAwait(false);
        s_locked[testId] = handle;
        return handle;
    }

    /// <summary>Releases the locks taken for <paramref name="testId"/>, if any. A lock lost while held fails the
    /// release with <see cref="LockLostException"/>.</summary>
    public static ValueTask ReleaseAsync(string testId) =>
        s_locked.TryRemove(testId, out var handle) ? handle.DisposeAsync() : ValueTask.CompletedTask;

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
