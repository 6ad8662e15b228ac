using System.Runtime.CompilerServices;
using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Execution;

/// <summary>Tells Core which NUnit test is running (NUnit keeps its execution context across awaits), so that every
/// lock a test takes belongs to it and re-entry is refused however the test asks again (see Core's CurrentTest).</summary>
internal static class CurrentTestSource
{
    private static readonly Func<string?> s_source = static () =>
        TestExecutionContext.CurrentContext?.CurrentTest is { IsSuite: false } test ? test.Id : null;

#pragma warning disable CA2255 // a library's module initializer on purpose: it only registers a lookup, and runs when NUnit loads the package
    [ModuleInitializer]
    internal static void Register() => Adapters.LockedTest.FindRunningTestBy(s_source);
#pragma warning restore CA2255
}
