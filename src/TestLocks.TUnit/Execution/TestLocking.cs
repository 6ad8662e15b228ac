using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using TestLocks.Adapters;
using TestLocks.Testing;
using TUnit.Core;

namespace TestLocks.TUnit.Execution;

/// <summary>
/// What TestLocks' attributes do around one TUnit test case: the first to start starts its <see cref="LockedTest"/>,
/// with the TestLocks attributes of the test, its class and its assembly, and takes its locks; the first to end ends it.
/// </summary>
internal static class TestLocking
{
    private static readonly ConditionalWeakTable<TestContext, Held> s_held = new();
    private static readonly Func<string?> s_currentTestId = () => TestContext.Current?.Id;
    private static readonly ConcurrentDictionary<(Type, string, MethodMetadata), MethodInfo?> s_methods = new();

    public static async ValueTask AcquireAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (s_held.TryGetValue(context, out _)) return; // another TestLocks attribute of this test took them (a marked test has two)
        var held = new Held();
        if (!s_held.TryAdd(context, held)) return;
        LockedTest.FindRunningTestBy(s_currentTestId);
        var details = context.Metadata.TestDetails;
        var method = s_methods.GetOrAdd((details.ClassType, details.MethodName, details.MethodMetadata), static (_, details) => Method(details), details);
        var fullName = $"{details.ClassType.FullName}.{context.Metadata.DisplayName}";
        held.Test = LockedTest.Start(context.Id, fullName, new TestCaseInfo(details.ClassType, method, details.TestMethodArguments, context.Metadata.DisplayName),
            LockedTest.AttributesOf(details.ClassType, method), new Channel(context));
        using (Scheduling.SlotInstaller.Enter(context)) // the test's TUnit slot is lent while it waits (Scheduling/)
        {
            await held.Test.AcquireAsync(context.Execution.CancellationToken).ConfigureAwait(false);
        }
    }

    public static async ValueTask ReleaseAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!s_held.TryGetValue(context, out var held) || !s_held.Remove(context) || held.Test is null) return;
        await held.Test.DisposeAsync().ConfigureAwait(false);
    }

    private static MethodInfo? Method(TestDetails details) =>
        details.ClassType.GetMethod(details.MethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static,
            [.. details.MethodMetadata.Parameters.Select(p => p.Type)]);

    /// <summary>Where TUnit puts a test's lines: its output (shown once the test ends; <see cref="LockedTest"/> shows them
    /// live); the wait summary also as the artifact TestLocks.wait.txt (TRX's result files). A lost lock cancels the test.</summary>
    private sealed class Channel(TestContext context) : TestChannel
    {
        protected override void WriteLine(string line) => context.Output.WriteLine(line);

        protected override void WriteSummary(string summary)
        {
            WriteLine(summary);
            context.Output.AttachArtifact(WaitFile(summary), "TestLocks.wait", "How long the test waited for its locks, and who held them");
        }

        protected override void CancelTest() => context.Execution.Cancel();
    }

    /// <summary>A test's lifecycle, once started.</summary>
    private sealed class Held
    {
        public LockedTest? Test { get; set; }
    }
}
