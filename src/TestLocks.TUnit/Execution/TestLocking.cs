using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using TestLocks.Testing;
using TestLocks.Testing.Live;
using TUnit.Core;

namespace TestLocks.TUnit.Execution;

/// <summary>
/// What TestLocks' attributes do around one TUnit test case: the first to start takes the locks of every TestLocks
/// attribute of the test, its class and its assembly as one <see cref="LockSet"/> (the serial lock's read side unless
/// the test is [Serial]); the first to end releases them. The set is registered under the test's id, so a test that asks
/// again for one of its locks fails at once with <see cref="LockReentryException"/>.
/// </summary>
internal static class TestLocking
{
    private const int MaxOwnerLength = 120;

    private static readonly ConditionalWeakTable<TestContext, Held> s_held = new();
    private static readonly ConcurrentDictionary<(Type, string, MethodMetadata), (TestLocksAttribute[] Attributes, MethodInfo? Method)> s_tests = new();
    private static readonly Func<string?> s_currentTestId = () => TestContext.Current?.Id;

    public static async ValueTask AcquireAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var held = new Held();
        if (!s_held.TryAdd(context, held)) return; // another TestLocks attribute of this test took them
        CurrentTest.AddSource(s_currentTestId);
        var details = context.Metadata.TestDetails;
        var (attributes, method) = s_tests.GetOrAdd((details.ClassType, details.MethodName, details.MethodMetadata), static (_, details) =>
            ([.. details.GetAllAttributes().OfType<TestLocksAttribute>()], Method(details)), details); // the method's, the class's and the assembly's
        var testCase = new TestCaseInfo(details.ClassType, method, details.TestMethodArguments, context.Metadata.DisplayName);
        var requests = attributes.OfType<ExternalLockAttribute>().SelectMany(a => a.RequestsFor(testCase)).ToList();
        var serial = attributes.OfType<SerialAttribute>().FirstOrDefault();
        requests.Add(serial is null ? LockRequest.NotSerial() : LockRequest.Serial(serial.Prefix));

        var fullName = $"{details.ClassType.FullName}.{context.Metadata.DisplayName}";
        var owner = fullName.Length <= MaxOwnerLength ? fullName : string.Concat(fullName.AsSpan(0, MaxOwnerLength - 3), "...");
        var options = new LockSetOptions { Owner = owner, TestId = context.Id, OnWaiting = notice => Report(context, $"[TestLocks] {fullName}: {notice}") };
        using (Scheduling.SlotInstaller.Enter(context)) // issue 21 slot hand-back: the test's TUnit slot is lent while it waits (Scheduling/)
        {
            held.Locks = await LockSet.AcquireAsync(requests, options: options, cancellationToken: context.Execution.CancellationToken).ConfigureAwait(false);
        }
        // A lock lost while the test runs cancels its CancellationToken at once; the release then fails it with LockLostException.
        held.Locks.OnLost(context.Execution.Cancel);
    }

    public static async ValueTask ReleaseAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!s_held.TryGetValue(context, out var held) || !s_held.Remove(context) || held.Locks is null) return;
        await held.Locks.DisposeAsync().ConfigureAwait(false);
    }

    private static MethodInfo? Method(TestDetails details) =>
        details.ClassType.GetMethod(details.MethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static,
            [.. details.MethodMetadata.Parameters.Select(p => p.Type)]);

    /// <summary>A wait notice: in the test's output, and live on the controlling terminal (TUnit shows a test's output
    /// only once it ends, and <c>dotnet test</c> nothing of the test application while it runs).</summary>
    private static void Report(TestContext context, string line)
    {
        LiveLine.Write(line);
        try
        {
            context.Output.WriteLine(line);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The test's output is closed (the notice raced the end of the wait).
        }
    }

    /// <summary>A test's locks, once taken; null while they are being taken or when taking them failed.</summary>
    private sealed class Held
    {
        public LockSetHandle? Locks { get; set; }
    }
}
